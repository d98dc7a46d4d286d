/**
 * Every name that crosses a boundary, once: between the construct and the functions (environment
 * variables), the functions and CloudWatch (metrics), the stack and the CLI (outputs, the
 * deployment's settings), the monitor and its consumers (events), the ledger's layout, and each
 * setting's defaults. The construct, the functions, the CLI, the docs test and the dashboard import
 * it; no other source file spells these names (test/contract.test.ts checks the synthesized
 * template against that).
 *
 * One setting, one name per layer, mapped here:
 *
 * | setting | context key (cdk.json, -c) | construct prop | function variable | CLI flag |
 * |---|---|---|---|---|
 * | registry prefix | `parameterPrefix` | `parameterPrefix` | `PARAMETER_PREFIX` | `--prefix` |
 * | thresholds | `thresholds` | `thresholdsDays` | `THRESHOLDS_DAYS` | `--thresholds` |
 * | default validity | `validityDays` | `validityDays` | `VALIDITY_DAYS` | `--default-validity-days` |
 * | ledger table | (created) | (created) | `LEDGER_TABLE_NAME` | `--ledger-table` |
 * | alert topic | (created) | `alertTopic` | `ALERT_TOPIC_ARN` | `--topic-arn` (test-alert) |
 * | event bus | `eventBusName` | `eventBus` | `EVENT_BUS_ARN` | - |
 *
 * The CLI needs none of these flags: it reads the deployment's settings (`DEPLOYMENT_SETTINGS`);
 * a flag overrides, and a flag that disagrees with the deployment is reported.
 */

/** Defaults of the settings that cross layers. */
export const DEFAULTS = {
  /** Days before expiry at which a token alerts. */
  thresholdsDays: [60, 30, 7] as readonly number[],
  /** IAM Identity Center issues SCIM access tokens for one year. */
  validityDays: 365,
  parameterPrefix: '/scim-token-monitor/tokens/',
  /**
   * Daily at 08:00 UTC: thresholds are whole days and a missed day is caught up by the next run;
   * 08:00 UTC is the start of the European working day and before the Americas wake up.
   */
  schedule: 'cron(0 8 * * ? *)',
  /** Flood control: alerts sent one by one per run before the rest go in digests. */
  digestAfter: 10,
  /** Alerts with this many days or fewer left page (`critical`): the final day. */
  pageWithinDays: 1,
  /** The app's stack name (`cdk deploy` without `--stack-name`-like overrides). */
  stackName: 'ScimTokenMonitor',
  /** Read the SCIM calls CloudTrail records (`cloudtrail:LookupEvents`) to show provisioning. */
  observeProvisioning: true,
  /**
   * Pages of 50 events a run reads at most, newest first: at the API's 2 requests a second, 10
   * pages take 5 s and hold the 500 latest SCIM calls since the previous run.
   */
  provisioningPages: 10,
} as const;

/** The monitor function's environment, set by the construct, read by functions/monitor/config.ts. */
export const MONITOR_ENV = {
  alertTopicArn: 'ALERT_TOPIC_ARN',
  parameterPrefix: 'PARAMETER_PREFIX',
  ledgerTableName: 'LEDGER_TABLE_NAME',
  thresholdsDays: 'THRESHOLDS_DAYS',
  validityDays: 'VALIDITY_DAYS',
  /** An ARN, not a name: PutEvents needs it for a bus in another account. */
  eventBusArn: 'EVENT_BUS_ARN',
  account: 'ACCOUNT_ID',
  environmentName: 'ENVIRONMENT_NAME',
  tokenMetrics: 'TOKEN_METRICS',
  digestAfter: 'DIGEST_AFTER',
  pageWithinDays: 'PAGE_WITHIN_DAYS',
  dailyRemindersWithinDays: 'DAILY_REMINDERS_WITHIN_DAYS',
  scheduleTimeZone: 'SCHEDULE_TIME_ZONE',
  verifyTokens: 'VERIFY_TOKENS',
  scimEndpoint: 'SCIM_ENDPOINT',
  /** `true`: read the SCIM calls CloudTrail records (the construct's default). */
  observeProvisioning: 'OBSERVE_PROVISIONING',
  /** Pages of CloudTrail events a run reads at most (`DEFAULTS.provisioningPages` when unset). */
  provisioningPages: 'PROVISIONING_PAGES',
  /** Opt-in: alert when more SCIM calls than this failed in one run's window. */
  provisioningFailuresAbove: 'PROVISIONING_FAILURES_ABOVE',
  /** Opt-in: alert when no SCIM call succeeded for this many hours. */
  provisioningSilentHours: 'PROVISIONING_SILENT_HOURS',
} as const;

/** The alarm relay's environment. */
export const RELAY_ENV = {
  alertTopicArn: MONITOR_ENV.alertTopicArn,
  environmentName: MONITOR_ENV.environmentName,
} as const;

/** The Slack webhook forwarder's environment. */
export const SLACK_ENV = { webhookSecretName: 'SLACK_WEBHOOK_SECRET_NAME' } as const;

/** Powertools' own variables, and each function's service name (also a metric dimension). */
export const POWERTOOLS_ENV = {
  serviceName: 'POWERTOOLS_SERVICE_NAME',
  logLevel: 'POWERTOOLS_LOG_LEVEL',
} as const;
export const SERVICE_NAMES = {
  monitor: 'scim-token-monitor',
  alarmRelay: 'scim-token-monitor-alarm-relay',
  slack: 'scim-token-monitor-slack',
} as const;

/** The monitor's custom metrics (Embedded Metric Format), their namespace and dimensions. */
export const METRICS = {
  namespace: 'ScimTokenMonitor',
  dimensions: { service: 'service', functionName: 'FunctionName', tokenName: 'TokenName' },
  runSucceeded: 'RunSucceeded',
  alertsSent: 'AlertsSent',
  deliveryFailures: 'DeliveryFailures',
  tokensMonitored: 'TokensMonitored',
  invalidRegistrations: 'InvalidRegistrations',
  minDaysToExpiry: 'MinDaysToExpiry',
  tokensExpired: 'TokensExpired',
  probesInconclusive: 'ProbesInconclusive',
  /** Per token, with `tokenMetrics` only. */
  daysToExpiry: 'DaysToExpiry',
} as const;

/** Tokens inside a threshold: one metric per configured threshold. */
export function tokensWithinMetric(thresholdDays: number): string {
  return `TokensWithin${thresholdDays}Days`;
}

/** The app stack's outputs (app/monitor-stack.ts), which the CLI reads too. */
export const OUTPUTS = {
  alertTopicArn: 'AlertTopicArn',
  registryPrefix: 'RegistryPrefix',
  ledgerTableName: 'LedgerTableName',
  tokenKeyArn: 'TokenKeyArn',
  logGroupName: 'LogGroupName',
  dashboardUrl: 'DashboardUrl',
  functionName: 'FunctionName',
} as const;

/** The monitor's events on EventBridge. */
export const MONITOR_EVENTS = {
  source: 'scim-token-monitor',
  detailType: 'SCIM Token Expiry Alert',
} as const;

/** The event a schedule invokes the function with: EventBridge's, or Scheduler's shaped like it. */
export const SCHEDULED_EVENTS = {
  ruleSource: 'aws.events',
  schedulerSource: 'aws.scheduler',
  detailType: 'Scheduled Event',
} as const;

/** AWS Health's notice of a SCIM token expiry. */
export const HEALTH_EVENTS = {
  source: 'aws.health',
  detailType: 'AWS Health Event',
  scimExpiryEventType: 'AWS_IAMIDENTITYCENTER_SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION',
} as const;

/** AWS's own metrics that `doctor` reads: the alarm relay's errors, the dead-letter queue's depth. */
export const AWS_METRICS = {
  lambdaErrors: { namespace: 'AWS/Lambda', name: 'Errors', dimension: 'FunctionName' },
  queueDepth: { namespace: 'AWS/SQS', name: 'ApproximateNumberOfMessagesVisible', dimension: 'QueueName' },
} as const;

/** A CloudWatch alarm's change of state, as EventBridge carries it. */
export const ALARM_EVENTS = {
  source: 'aws.cloudwatch',
  detailType: 'CloudWatch Alarm State Change',
} as const;

/**
 * `ScimTokenHealthForwarder`'s names in the account that owns IAM Identity Center: the monitor's
 * bus admits events only from rules named so, and relays only alarms named so.
 */
export const FORWARDER = {
  namePrefix: 'scim-token-health-forwarder-',
} as const;

/** The delivery ledger's layout (one DynamoDB table). */
export const LEDGER = {
  /** The partition key. */
  partitionKey: 'pk',
  /** The attribute DynamoDB's TTL reads (epoch seconds). */
  ttlAttribute: 'ttl',
  /** The attribute holding a state record's JSON. */
  stateAttribute: 'state',
  statePrefix: 'state#',
  deliveryPrefix: 'delivery#',
} as const;

/**
 * Where each monitor publishes its settings for the CLI: one SSM String parameter per deployment,
 * `/scim-token-monitor/deployments/<stack name>/<construct id>`, holding `DeploymentSettings` as
 * JSON. Outside every registry prefix (validated), so no monitor reads it as a registration.
 */
export const DEPLOYMENT_SETTINGS = { path: '/scim-token-monitor/deployments/' } as const;

/** What a deployed monitor says about itself, for the CLI. */
export interface DeploymentSettings {
  readonly version: 1;
  readonly stackName: string;
  readonly parameterPrefix: string;
  readonly thresholdsDays: readonly number[];
  /** The severity ladder (core/severity.ts), when not the defaults. */
  readonly pageWithinDays?: number;
  readonly dailyRemindersWithinDays?: number;
  /** The schedule's IANA time zone, when not UTC (EventBridge Scheduler runs it). */
  readonly scheduleTimeZone?: string;
  readonly validityDays: number;
  readonly ledgerTableName: string;
  readonly alertTopicArn: string;
  readonly functionName: string;
  readonly logGroupName: string;
  readonly schedule: string;
  /** The rule that runs the schedule in UTC, or the Scheduler schedule in `scheduleTimeZone`. */
  readonly scheduleRuleName?: string;
  readonly zonedScheduleName?: string;
  /** The AWS Health rule (when notices are reconciled). */
  readonly healthRuleName?: string;
  /** The monitor's own alarms. */
  readonly alarmNames: readonly string[];
  readonly maxHoursWithoutSuccess: number;
  readonly reconcileHealthEvents: boolean;
  /** Other accounts may put their AWS Health notices on this region's default bus. */
  readonly healthSourceAccounts: readonly string[];
  readonly tokenKeyArn?: string;
  /** The roles that publish to the alert topic (the function's and the alarm relay's). */
  readonly publisherRoleArns: readonly string[];
  /** The alarm relay, whose errors mean an alarm did not reach the topic. */
  readonly alarmRelayFunctionName: string;
  /** What failed after every retry waits here. */
  readonly deadLetterQueueName: string;
  /** Each run reads the SCIM calls CloudTrail records (absent in deployments from before it). */
  readonly observeProvisioning?: boolean;
}
