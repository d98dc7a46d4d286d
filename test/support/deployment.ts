/**
 * A deployed monitor as the CLI finds it: the settings parameter the construct writes
 * (lib/constructs/deployment-settings.ts), put into the stand-in's SSM.
 */
import { DEPLOYMENT_SETTINGS, type DeploymentSettings } from '../../core/contract';
import { FAKE_LEDGER_TABLE, type FakeAws } from '../../tools/fake-aws';

export const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ScimTokenMonitor-AlertTopic';

/** The settings of a default deployment of the app's stack, as the construct writes them. */
export function settings(overrides: Partial<DeploymentSettings> = {}): DeploymentSettings {
  return {
    version: 1,
    stackName: 'ScimTokenMonitor',
    parameterPrefix: '/scim-token-monitor/tokens/',
    thresholdsDays: [60, 30, 7],
    validityDays: 365,
    ledgerTableName: FAKE_LEDGER_TABLE,
    alertTopicArn: TOPIC,
    functionName: 'ScimTokenMonitor-MonitorFunction',
    logGroupName: '/scim-token-monitor/ScimTokenMonitor/Monitor-LogGroup',
    schedule: 'cron(0 8 * * ? *)',
    scheduleRuleName: 'ScimTokenMonitor-Schedule',
    healthRuleName: 'ScimTokenMonitor-HealthNotices',
    alarmNames: ['ScimTokenMonitor-ErrorsAlarm', 'ScimTokenMonitor-NotRunAlarm'],
    maxHoursWithoutSuccess: 26,
    reconcileHealthEvents: true,
    healthSourceAccounts: [],
    publisherRoleArns: [
      'arn:aws:iam::123456789012:role/ScimTokenMonitor-MonitorFunctionRole',
      'arn:aws:iam::123456789012:role/ScimTokenMonitor-AlarmRelayRole',
    ],
    alarmRelayFunctionName: 'ScimTokenMonitor-AlarmRelayFunction',
    deadLetterQueueName: 'ScimTokenMonitor-DeadLetterQueue',
    ...overrides,
  };
}

/** Puts a deployment's settings where the CLI looks: `/scim-token-monitor/deployments/<stack>/<id>`. */
export function deploy(
  aws: FakeAws,
  overrides: Partial<DeploymentSettings> = {},
  id = 'Monitor',
): DeploymentSettings {
  const s = settings(overrides);
  aws.put(`${DEPLOYMENT_SETTINGS.path}${s.stackName}/${id}`, JSON.stringify(s));
  return s;
}
