/** The environment the construct gives the function, for tests that run the handler. */
export const MONITOR_ENV = {
  ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:scim-token-alerts',
  PARAMETER_PREFIX: '/scim-token-monitor/tokens/',
  LEDGER_TABLE_NAME: 'ScimTokenMonitor-LedgerTable',
  THRESHOLDS_DAYS: '60,30,7',
  VALIDITY_DAYS: '365',
  EVENT_BUS_ARN: 'default',
  ACCOUNT_ID: '123456789012',
  AWS_REGION: 'eu-west-1',
  AWS_LAMBDA_FUNCTION_NAME: 'ScimTokenMonitor-MonitorFunction',
  POWERTOOLS_LOG_LEVEL: 'SILENT',
} as const;

/** A scheduled EventBridge event as the rule sends it. */
export function scheduledEvent(time: string) {
  return {
    version: '0',
    id: `evt-${time}`,
    'detail-type': 'Scheduled Event',
    source: 'aws.events',
    account: '123456789012',
    time,
    region: 'eu-west-1',
    resources: ['arn:aws:events:eu-west-1:123456789012:rule/ScimTokenMonitor-Schedule'],
    detail: {},
  };
}
