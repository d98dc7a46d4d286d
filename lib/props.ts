/**
 * The settings of `ScimTokenExpiryMonitor`, each with its default: the one place a deployer reads
 * to know what can be configured (the app's context keys map onto these in `app/config.ts`).
 * Settings that only make sense together (a chat channel's IDs, the probe's tokens and endpoint,
 * the organization's accounts) are grouped, so a half-configured one does not compile.
 */
import type * as ec2 from 'aws-cdk-lib/aws-ec2';
import type * as events from 'aws-cdk-lib/aws-events';
import { Schedule } from 'aws-cdk-lib/aws-events';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { DEFAULTS } from '../core/contract';

export const DEFAULT_THRESHOLDS_DAYS: readonly number[] = DEFAULTS.thresholdsDays;
export const DEFAULT_VALIDITY_DAYS = DEFAULTS.validityDays;
export const DEFAULT_PARAMETER_PREFIX = DEFAULTS.parameterPrefix;
/**
 * Daily at 08:00 UTC. Daily, because thresholds are whole days and a missed day is caught up by
 * the next run; 08:00 UTC, so that alerts land at the start of the European working day and
 * before the Americas wake up, never in the middle of an on-call night in either.
 */
export const DEFAULT_SCHEDULE = Schedule.expression(DEFAULTS.schedule);

/** A Slack channel that AWS Chatbot (Amazon Q Developer in chat applications) delivers alerts to. */
export interface SlackChannel {
  /** The Slack workspace (team) ID authorised in the Chatbot console, e.g. `T07EA123LEP`. */
  readonly workspaceId: string;
  /** The channel ID (channel details > About, e.g. `C0123456789`). Invite `@Amazon Q` to it. */
  readonly channelId: string;
}

/** A Microsoft Teams channel that AWS Chatbot delivers alerts to. */
export interface TeamsChannel {
  /** The team ID (a GUID) authorised in the Chatbot console. */
  readonly teamId: string;
  /** The channel ID, as in the channel's link (e.g. `19%3a...%40thread.tacv2`). */
  readonly channelId: string;
  /** The Microsoft Teams (Entra ID) tenant ID, a GUID. */
  readonly tenantId: string;
}

/** A Slack incoming webhook, without Chatbot: a small forwarder posts every alert as Block Kit. */
export interface SlackWebhook {
  /**
   * The Secrets Manager secret holding the webhook URL (the URL itself, or JSON with a `url`
   * field). The URL never appears in the template, the logs or an alert.
   */
  readonly secretName: string;
  /**
   * The customer-managed key the secret is encrypted with: the forwarder may then decrypt with it,
   * only through Secrets Manager, and only that secret.
   * @default - the secret uses the AWS managed key aws/secretsmanager
   */
  readonly key?: kms.IKey;
}

/** PagerDuty's Events API v2, reached from the alert bus (lib/constructs/pager-duty.ts). */
export interface PagerDuty {
  /**
   * The Secrets Manager secret holding the Events API v2 integration's routing key (the bare
   * string). The template only references it.
   */
  readonly routingKeySecretName: string;
}

/** The opt-in daily check that stored tokens still work. */
export interface StoredTokenProbe {
  /**
   * Names (after the registry prefix) of tokens kept as SecureStrings that the monitor checks
   * every run against the SCIM endpoint, alerting (`token-rejected`, critical) the first day one
   * is refused. The function may then decrypt exactly these parameters (scoped by KMS encryption
   * context); no other parameter.
   */
  readonly tokenNames: readonly string[];
  /**
   * The SCIM endpoint shown in IAM Identity Center (Settings > Identity source > Automatic
   * provisioning), e.g. `https://scim.eu-west-1.amazonaws.com/<tenant>/scim/v2/`.
   */
  readonly scimEndpoint: string;
}

/** An organization whose IAM Identity Center lives in other accounts than the monitor's. */
export interface Organization {
  /**
   * Accounts whose AWS Health SCIM token notices are forwarded to this monitor (the accounts that
   * own IAM Identity Center instances, such as the management account): they may put AWS Health
   * events on this region's default bus, where the monitor's Health rule reads them. Deploy
   * `ScimTokenHealthForwarder` in each.
   */
  readonly healthSourceAccounts: readonly string[];
}

export interface ScimTokenExpiryMonitorProps {
  /**
   * Publish alerts to this existing topic (for example a central alerting topic, possibly in
   * another account) instead of creating an encrypted one. Its owner manages its encryption and
   * policy: a cross-account topic must allow the publishers' roles (the monitor function and the
   * alarm relay, both named after this stack) to publish, and its key (`alertTopicKey`) to let
   * them use it through SNS.
   * @default - a new topic encrypted with a new customer-managed key, TLS only
   */
  readonly alertTopic?: sns.ITopic;
  /**
   * The customer-managed KMS key of an existing `alertTopic`: the monitor function and the alarm
   * relay may then use it, only through SNS in this region, to publish.
   * @default - none: the topic is created here, or is not encrypted with a customer-managed key
   */
  readonly alertTopicKey?: kms.IKey;
  /**
   * Email addresses subscribed to the alert topic (each must confirm the subscription email).
   * @default - no email subscription; subscribe to `alertTopic` yourself
   */
  readonly alertEmails?: readonly string[];
  /**
   * A short name for this deployment (`prod`, `eu-identity`), shown at the start of every alert's
   * subject and in its details, so alerts from several accounts on one topic tell apart. Up to 32
   * letters, digits, spaces, dots, underscores or hyphens.
   * @default - the account ID
   */
  readonly environmentName?: string;
  /**
   * Days before expiry at which a token alerts, once each per token lifecycle. Distinct positive
   * whole numbers below `validityDays`. Severity: <= 7 days or the smallest one critical,
   * <= 30 warning, otherwise info.
   * @default [60, 30, 7]
   */
  readonly thresholdsDays?: readonly number[];
  /**
   * Validity of a token whose registration gives neither `expiresAt` nor `validityDays`.
   * IAM Identity Center SCIM access tokens are valid for one year.
   * @default 365
   */
  readonly validityDays?: number;
  /**
   * SSM path under which each token is registered as one parameter (read recursively).
   * @default '/scim-token-monitor/tokens/'
   */
  readonly parameterPrefix?: string;
  /**
   * When the check runs.
   * @default - daily at 08:00 UTC (`cron(0 8 * * ? *)`)
   */
  readonly schedule?: events.Schedule;
  /**
   * The IANA time zone the schedule runs in (`America/New_York`): the check then runs at 08:00
   * there, through EventBridge Scheduler (EventBridge rules run in UTC only), and alerts add their
   * instants in that zone.
   * @default - UTC (an EventBridge rule)
   */
  readonly scheduleTimeZone?: string;
  /**
   * Alerts with this many days or fewer left are `critical` (they page); every other token alert
   * says it can wait for working hours.
   * @default 1 (the final day)
   */
  readonly pageWithinDays?: number;
  /**
   * A reminder every day with fewer days left than this, until expiry; 0 turns them off.
   * @default - the smallest threshold (7: a reminder each day from 6 days left)
   */
  readonly dailyRemindersWithinDays?: number;
  /**
   * The bus that receives a copy of every alert (source `scim-token-monitor`).
   * @default - the account's default event bus
   */
  readonly eventBus?: events.IEventBus;
  /**
   * How long the functions' logs are kept. AWS Control Tower's CT.CLOUDWATCH.PR.2 asks for at
   * least a year: anything shorter synthesizes with a warning.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Place the functions in this VPC (AWS Control Tower CT.LAMBDA.PR.3). Its subnets need a route
   * to SSM, SNS, EventBridge, IAM Identity Center and (forwarder) Secrets Manager, through VPC
   * endpoints or NAT; the probe and the Slack forwarder also reach the internet. See
   * docs/governed-organizations.md.
   * @default - not in a VPC
   */
  readonly vpc?: ec2.IVpc;
  /**
   * The subnets of `vpc` the functions run in.
   * @default - the VPC's private subnets
   */
  readonly vpcSubnets?: ec2.SubnetSelection;
  /**
   * Security groups of the functions in `vpc` (they need outbound HTTPS only).
   * @default - a new security group allowing all outbound traffic
   */
  readonly securityGroups?: readonly ec2.ISecurityGroup[];
  /**
   * Also emit `DaysToExpiry` for each token (dimension `TokenName`), graphed on the dashboard.
   * Each token is then one CloudWatch custom metric (about USD 0.30 a month each), so cost grows
   * with the registry. Always emitted, whatever the registry's size: `MinDaysToExpiry`,
   * `TokensWithin<N>Days` per threshold, `TokensExpired` and the run totals.
   * @default false
   */
  readonly tokenMetrics?: boolean;
  /**
   * Each run reads the SCIM calls CloudTrail's Event history recorded since the previous run
   * (`cloudtrail:LookupEvents`, at most 10 pages of 50 events, newest first) and records per SCIM
   * tenant the last call, the last successful call, failures by error code and the access key IDs
   * seen. Alerts, `status` and `doctor` show it. The events are recorded in the account and region
   * of the IAM Identity Center instance: deploy the monitor there for this to see anything.
   * @default true
   */
  readonly observeProvisioning?: boolean;
  /**
   * Opt-in alerts from the SCIM calls observed (with `observeProvisioning`), both `warning`:
   * `failuresAbove`: more SCIM calls than this failed in one run's window (`scim-calls-failing`,
   * grouped by error code); `silentHours`: no successful SCIM call for this many hours
   * (`scim-calls-silent`; a quiet Okta tenant is not a broken one, so choose it knowingly).
   * @default none
   */
  readonly provisioningAlerts?: { readonly failuresAbove?: number; readonly silentHours?: number };
  /**
   * A CloudWatch dashboard of the tokens inside each threshold, runs, alerts and the alarms. Off
   * by default: beyond the free tier's three per account (shared in an organization) it costs
   * USD 3 a month, and the alarms and alerts already say what needs doing.
   * @default false
   */
  readonly dashboard?: boolean;
  /**
   * Flood control: when more alerts than this are due in one run, the critical ones still go out
   * one by one and the others as one digest (delivered exactly once like any alert).
   * @default 10
   */
  readonly digestAfter?: number;
  /**
   * Hours without a successful run after which the "not run" alarm fires (missing data counts
   * as failing, so a deleted or disabled schedule is caught). Must exceed the schedule's
   * interval; 1..168.
   * @default 26 - a daily schedule, plus two hours of slack
   */
  readonly maxHoursWithoutSuccess?: number;
  /**
   * Run a check as soon as the stack is deployed (and whenever the function changes), so a new
   * deployment proves itself and the "not run" alarm starts healthy: CloudFormation invokes the
   * monitor as a custom resource, and it answers on an S3 presigned URL, which a function in
   * private subnets reaches only through a NAT gateway or an S3 gateway endpoint: off by default
   * with `vpc`.
   * @default true, or false with `vpc`
   */
  readonly runOnDeploy?: boolean;
  /**
   * Reserve one concurrent execution for the monitor. Not needed for correctness: the delivery
   * ledger sends each alert once even when runs overlap. AWS refuses a reservation that leaves an
   * account fewer than 10 unreserved executions, so new accounts (limit 10) cannot deploy it.
   * @default false
   */
  readonly reserveConcurrency?: boolean;
  /**
   * Route AWS Health's SCIM token expiry notices (`AWS_IAMIDENTITYCENTER_SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION`)
   * to the monitor, which reconciles them with the registry: an announced expiry that matches no
   * registered token raises an `unregistered-token` alert.
   * @default true
   */
  readonly reconcileHealthEvents?: boolean;
  /**
   * Check stored tokens against the SCIM endpoint every run.
   * @default - no token is probed; the monitor decrypts nothing
   */
  readonly probe?: StoredTokenProbe;
  /**
   * Deliver alerts to a Slack channel through AWS Chatbot.
   * @default - no Slack channel through Chatbot
   */
  readonly slack?: SlackChannel;
  /**
   * Deliver alerts to a Microsoft Teams channel through AWS Chatbot.
   * @default - no Teams channel
   */
  readonly teams?: TeamsChannel;
  /**
   * Post every alert to a Slack incoming webhook (no Chatbot needed).
   * @default - no webhook forwarder
   */
  readonly slackWebhook?: SlackWebhook;
  /**
   * Receive AWS Health's SCIM token notices from the accounts that own IAM Identity Center.
   * @default - only this account's own notices
   */
  readonly organization?: Organization;
  /**
   * Page through PagerDuty's Events API v2: one incident per token lifecycle, triggered by the
   * alerts that cannot wait and resolved when the token is rotated.
   * @default - no PagerDuty
   */
  readonly pagerDuty?: PagerDuty;
}
