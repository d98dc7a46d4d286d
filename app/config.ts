/**
 * The stack's configuration from CDK context (`cdk.json` or `-c key=value`), parsed and checked
 * in one place. Every problem is collected and reported at once, naming the context key.
 */
import * as events from 'aws-cdk-lib/aws-events';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { closest, distance } from 'fastest-levenshtein';
import { monitorPropsProblems } from '../lib/monitor-validation';
import {
  DEFAULT_PARAMETER_PREFIX,
  DEFAULT_THRESHOLDS_DAYS,
  DEFAULT_VALIDITY_DAYS,
  type ScimTokenExpiryMonitorProps,
} from '../lib/props';
import { CONTEXT_NAMES, throwIfAny } from '../lib/validation';

/** Chat delivery keys: passed to the construct as they are, when set. */
const CHAT_KEYS = [
  'slackWorkspaceId',
  'slackChannelId',
  'teamsTeamId',
  'teamsChannelId',
  'teamsTenantId',
  'slackWebhookSecretName',
] as const;

/** The context keys the stack reads, with their defaults (the README's configuration table). */
export const CONTEXT_KEYS = [
  'alertEmails',
  'thresholds',
  'validityDays',
  'parameterPrefix',
  'schedule',
  'eventBusName',
  ...CHAT_KEYS,
  'slackWebhookSecretKeyArn',
  'pagerDutySecretName',
  'verifyStoredTokens',
  'scimEndpoint',
  'reconcileHealthEvents',
  'reserveConcurrency',
  'maxHoursWithoutSuccess',
  'tokenMetrics',
  'observeProvisioning',
  'provisioningFailuresAbove',
  'provisioningSilentHours',
  'dashboard',
  'digestAfter',
  'pageWithinDays',
  'dailyRemindersWithinDays',
  'scheduleTimeZone',
  'runOnDeploy',
  'logRetentionDays',
  'environmentName',
  'healthSourceAccounts',
  'healthForwarderTargetBus',
  'vpcId',
  'vpcSubnetIds',
  'vpcSecurityGroupIds',
] as const;

/** The VPC placement from context: IDs only, so synth needs no AWS lookup. */
export interface VpcPlacementConfig {
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
}

export interface MonitorStackConfig {
  readonly monitor: ScimTokenExpiryMonitorProps;
  readonly eventBusName?: string;
  /** The customer-managed key of the Slack webhook secret (`slackWebhookSecretKeyArn`). */
  readonly slackWebhookSecretKeyArn?: string;
  readonly vpc?: VpcPlacementConfig;
  /** Also synthesize `ScimTokenHealthForwarder`, forwarding AWS Health's notices to this bus. */
  readonly healthForwarderTargetBus?: string;
}

/** A KMS key ARN (not an alias: a key policy and IAM name keys by ARN). */
const KEY_ARN = /^arn:aws(-cn|-us-gov)?:kms:[a-z]{2}(-[a-z]+)+-\d:\d{12}:key\/[A-Za-z0-9-]{1,128}$/;

/** An EventBridge bus ARN (the monitor's default bus, in another account). */
const BUS_ARN =
  /^arn:aws(-cn|-us-gov)?:events:[a-z]{2}(-[a-z]+)+-\d:\d{12}:event-bus\/[A-Za-z0-9._/-]{1,256}$/;

function list(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  if (Array.isArray(value)) return value.map((v) => String(v).trim()).filter((v) => v !== '');
  return String(value)
    .split(',')
    .map((v) => v.trim())
    .filter((v) => v !== '');
}

function text(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  const s = String(value).trim();
  return s === '' ? undefined : s;
}

/** Keys earlier versions read, with what to do now (docs/upgrading.md). */
const REMOVED_KEYS: Readonly<Record<string, string>> = {
  statePrefix:
    'alert state lives in the DynamoDB ledger now (before 0.1.0 it lived under this prefix); delete the key (and, once deployed, the old parameters under it).',
};

/** Context keys of CDK itself (the CLI's notices), which are not the app's to check. */
const CDK_KEYS = new Set(['acknowledged-issue-numbers']);

/**
 * Context keys nobody reads, with the known key they most likely meant: `-c alertEmail=…` must
 * not synthesize a stack that alerts nobody. CDK's own keys (feature flags `@aws-cdk/…`, CLI and
 * lookup keys with a colon) are left alone.
 */
function unknownKeyProblems(node: Pick<Node, 'getAllContext'>): string[] {
  const known: readonly string[] = CONTEXT_KEYS;
  return Object.keys(node.getAllContext())
    .filter((k) => !known.includes(k) && !k.startsWith('@') && !k.includes(':') && !CDK_KEYS.has(k))
    .map((k) => {
      const removed = REMOVED_KEYS[k];
      if (removed) return `context key "${k}" was removed: ${removed}`;
      const lower = k.toLowerCase();
      // A key inside a known one (emails -> alertEmails), else the nearest by edit distance.
      const within = known.find((c) => c.toLowerCase().includes(lower) || lower.includes(c.toLowerCase()));
      const guess = within ?? closest(k, [...known]);
      const likely =
        within !== undefined || distance(lower, guess.toLowerCase()) <= Math.max(2, Math.floor(k.length / 3));
      return likely
        ? `unknown context key "${k}": did you mean "${guess}"?`
        : `unknown context key "${k}" (known keys: ${known.join(', ')})`;
    });
}

/** `true`/`false` (a JSON boolean or its text), or a problem. */
function flag(node: Pick<Node, 'tryGetContext'>, key: string, problems: string[]): boolean | undefined {
  const raw = text(node.tryGetContext(key));
  if (raw === undefined) return undefined;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  problems.push(`${key}: "${raw}" must be true or false.`);
  return undefined;
}

/**
 * Reads and checks the context, and the construct's own checks on what it became: one error
 * listing every problem, once.
 */
export function readStackConfig(node: Pick<Node, 'tryGetContext' | 'getAllContext'>): MonitorStackConfig {
  const problems: string[] = unknownKeyProblems(node);

  const thresholdsRaw = list(node.tryGetContext('thresholds'));
  const thresholds = thresholdsRaw.map(Number);
  thresholdsRaw.forEach((t, i) => {
    if (!Number.isFinite(thresholds[i]))
      problems.push(`thresholds: "${t}" is not a number (use e.g. "60,30,7").`);
  });
  const validThresholds = thresholds.filter(Number.isFinite);

  const validityRaw = text(node.tryGetContext('validityDays'));
  const validityDays = validityRaw === undefined ? DEFAULT_VALIDITY_DAYS : Number(validityRaw);
  if (validityRaw !== undefined && !Number.isFinite(validityDays)) {
    problems.push(`validityDays: "${validityRaw}" is not a number.`);
  }

  const scheduleRaw = text(node.tryGetContext('schedule'));
  const scheduleOk = scheduleRaw !== undefined && /^(cron|rate)\(.+\)$/.test(scheduleRaw);
  if (scheduleRaw !== undefined && !scheduleOk) {
    problems.push(
      `schedule: "${scheduleRaw}" must be an EventBridge expression such as "cron(0 8 * * ? *)" or "rate(1 day)".`,
    );
  }
  const logRetentionRaw = text(node.tryGetContext('logRetentionDays'));
  const logRetention = logRetentionRaw === undefined ? undefined : Number(logRetentionRaw);
  if (logRetention !== undefined && !RETENTION_DAYS.has(logRetention)) {
    problems.push(
      `logRetentionDays: "${logRetentionRaw}" is not a retention CloudWatch Logs offers (${[...RETENTION_DAYS].join(', ')}).`,
    );
  }
  const maxHoursRaw = text(node.tryGetContext('maxHoursWithoutSuccess'));
  const maxHours = maxHoursRaw === undefined ? undefined : Number(maxHoursRaw);
  if (maxHours !== undefined && !Number.isInteger(maxHours)) {
    problems.push(`maxHoursWithoutSuccess: "${maxHoursRaw}" is not a whole number of hours.`);
  }
  const wholeDays = (key: string): number | undefined => {
    const raw = text(node.tryGetContext(key));
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${key}: "${raw}" is not a whole number of days.`);
      return undefined;
    }
    return Number(raw);
  };
  const whole = (key: string): number | undefined => {
    const raw = text(node.tryGetContext(key));
    if (raw === undefined) return undefined;
    if (!/^\d+$/.test(raw)) {
      problems.push(`${key}: "${raw}" is not a whole number.`);
      return undefined;
    }
    return Number(raw);
  };
  const failuresAbove = whole('provisioningFailuresAbove');
  const silentHours = whole('provisioningSilentHours');
  const pageWithinDays = wholeDays('pageWithinDays');
  const dailyRemindersWithinDays = wholeDays('dailyRemindersWithinDays');
  const scheduleTimeZone = text(node.tryGetContext('scheduleTimeZone'));
  const flags = {
    reserveConcurrency: flag(node, 'reserveConcurrency', problems),
    tokenMetrics: flag(node, 'tokenMetrics', problems),
    observeProvisioning: flag(node, 'observeProvisioning', problems),
    dashboard: flag(node, 'dashboard', problems),
    runOnDeploy: flag(node, 'runOnDeploy', problems),
    reconcileHealthEvents: flag(node, 'reconcileHealthEvents', problems),
  };

  const vpc = vpcContext(node, problems);
  const forwardTo = text(node.tryGetContext('healthForwarderTargetBus'));
  if (forwardTo !== undefined && !BUS_ARN.test(forwardTo)) {
    problems.push(
      `healthForwarderTargetBus: "${forwardTo}" is not an event bus ARN (arn:aws:events:<region>:<account>:event-bus/default).`,
    );
  }
  const healthSourceAccounts = list(node.tryGetContext('healthSourceAccounts'));
  const eventBusName = text(node.tryGetContext('eventBusName'));
  const slackWebhookSecretKeyArn = text(node.tryGetContext('slackWebhookSecretKeyArn'));
  if (slackWebhookSecretKeyArn !== undefined) {
    if (!KEY_ARN.test(slackWebhookSecretKeyArn)) {
      problems.push(
        `slackWebhookSecretKeyArn: "${slackWebhookSecretKeyArn}" is not a KMS key ARN (arn:aws:kms:<region>:<account>:key/<key ID>).`,
      );
    }
    if (text(node.tryGetContext('slackWebhookSecretName')) === undefined) {
      problems.push('slackWebhookSecretKeyArn needs slackWebhookSecretName: the secret it encrypts.');
    }
  }
  const monitor: ScimTokenExpiryMonitorProps = {
    alertEmails: list(node.tryGetContext('alertEmails')),
    thresholdsDays: validThresholds.length > 0 ? validThresholds : DEFAULT_THRESHOLDS_DAYS,
    validityDays: Number.isFinite(validityDays) ? validityDays : DEFAULT_VALIDITY_DAYS,
    parameterPrefix: text(node.tryGetContext('parameterPrefix')) ?? DEFAULT_PARAMETER_PREFIX,
    ...(scheduleOk ? { schedule: events.Schedule.expression(scheduleRaw as string) } : {}),
    ...chatContext(node, problems),
    ...probeContext(node, problems),
    ...(logRetention !== undefined && RETENTION_DAYS.has(logRetention)
      ? { logRetention: logRetention as logs.RetentionDays }
      : {}),
    ...(maxHours !== undefined && Number.isInteger(maxHours) ? { maxHoursWithoutSuccess: maxHours } : {}),
    ...(pageWithinDays !== undefined ? { pageWithinDays } : {}),
    ...(failuresAbove !== undefined || silentHours !== undefined
      ? {
          provisioningAlerts: {
            ...(failuresAbove !== undefined ? { failuresAbove } : {}),
            ...(silentHours !== undefined ? { silentHours } : {}),
          },
        }
      : {}),
    ...(dailyRemindersWithinDays !== undefined ? { dailyRemindersWithinDays } : {}),
    // UTC is the default, not a time zone to run Scheduler for.
    ...(scheduleTimeZone && scheduleTimeZone !== 'UTC' ? { scheduleTimeZone } : {}),
    ...(healthSourceAccounts.length > 0 ? { organization: { healthSourceAccounts } } : {}),
    ...(text(node.tryGetContext('pagerDutySecretName'))
      ? { pagerDuty: { routingKeySecretName: text(node.tryGetContext('pagerDutySecretName')) as string } }
      : {}),
    ...(text(node.tryGetContext('digestAfter'))
      ? { digestAfter: Number(text(node.tryGetContext('digestAfter'))) }
      : {}),
    ...(text(node.tryGetContext('environmentName'))
      ? { environmentName: text(node.tryGetContext('environmentName')) as string }
      : {}),
    ...Object.fromEntries(Object.entries(flags).filter(([, v]) => v !== undefined)),
  };
  throwIfAny('configuration (cdk.json context or -c)', [
    ...problems,
    ...monitorPropsProblems(monitor, CONTEXT_NAMES),
  ]);
  return {
    monitor,
    ...(eventBusName ? { eventBusName } : {}),
    ...(slackWebhookSecretKeyArn ? { slackWebhookSecretKeyArn } : {}),
    ...(vpc ? { vpc } : {}),
    ...(forwardTo ? { healthForwarderTargetBus: forwardTo } : {}),
  };
}

/** Every retention CloudWatch Logs accepts (RetentionDays' values). */
const RETENTION_DAYS = new Set(
  Object.values(logs.RetentionDays).filter((v): v is number => typeof v === 'number'),
);

function vpcContext(node: Pick<Node, 'tryGetContext'>, problems: string[]): VpcPlacementConfig | undefined {
  const vpcId = text(node.tryGetContext('vpcId'));
  const subnetIds = list(node.tryGetContext('vpcSubnetIds'));
  const securityGroupIds = list(node.tryGetContext('vpcSecurityGroupIds'));
  if (vpcId === undefined) {
    if (subnetIds.length > 0 || securityGroupIds.length > 0) {
      problems.push('vpcSubnetIds and vpcSecurityGroupIds need vpcId: give the VPC too.');
    }
    return undefined;
  }
  if (!/^vpc-[0-9a-f]{8,17}$/.test(vpcId))
    problems.push(`vpcId: "${vpcId}" is not a VPC ID (vpc-0123456789abcdef0).`);
  if (subnetIds.length === 0)
    problems.push('vpcId needs vpcSubnetIds: the private subnets the functions run in.');
  for (const id of subnetIds.filter((i) => !/^subnet-[0-9a-f]{8,17}$/.test(i))) {
    problems.push(`vpcSubnetIds: "${id}" is not a subnet ID (subnet-0123456789abcdef0).`);
  }
  for (const id of securityGroupIds.filter((i) => !/^sg-[0-9a-f]{8,17}$/.test(i))) {
    problems.push(`vpcSecurityGroupIds: "${id}" is not a security group ID (sg-0123456789abcdef0).`);
  }
  return { vpcId, subnetIds, securityGroupIds };
}

/**
 * The chat keys, grouped as the construct takes them (an empty string in cdk.json counts as not
 * set); a group given in part is a problem, named by its keys.
 */
function chatContext(
  node: Pick<Node, 'tryGetContext'>,
  problems: string[],
): Pick<ScimTokenExpiryMonitorProps, 'slack' | 'teams' | 'slackWebhook'> {
  const v = Object.fromEntries(CHAT_KEYS.map((k) => [k, text(node.tryGetContext(k))])) as Record<
    (typeof CHAT_KEYS)[number],
    string | undefined
  >;
  const group = <T>(keys: readonly (typeof CHAT_KEYS)[number][], make: () => T): T | undefined => {
    const given = keys.filter((k) => v[k] !== undefined);
    if (given.length === 0) return undefined;
    if (given.length < keys.length) {
      problems.push(
        `${keys.slice(0, -1).join(', ')} and ${keys.at(-1)} go together: give all of them or none.`,
      );
      return undefined;
    }
    return make();
  };
  const slack = group(['slackWorkspaceId', 'slackChannelId'], () => ({
    workspaceId: v.slackWorkspaceId as string,
    channelId: v.slackChannelId as string,
  }));
  const teams = group(['teamsTeamId', 'teamsChannelId', 'teamsTenantId'], () => ({
    teamId: v.teamsTeamId as string,
    channelId: v.teamsChannelId as string,
    tenantId: v.teamsTenantId as string,
  }));
  return {
    ...(slack ? { slack } : {}),
    ...(teams ? { teams } : {}),
    ...(v.slackWebhookSecretName ? { slackWebhook: { secretName: v.slackWebhookSecretName } } : {}),
  };
}

/** The probe's keys: tokens to check need the endpoint to check them against. */
function probeContext(
  node: Pick<Node, 'tryGetContext'>,
  problems: string[],
): Pick<ScimTokenExpiryMonitorProps, 'probe'> {
  const tokenNames = list(node.tryGetContext('verifyStoredTokens'));
  const scimEndpoint = text(node.tryGetContext('scimEndpoint'));
  if (tokenNames.length === 0) return {};
  if (!scimEndpoint) {
    problems.push(
      'verifyStoredTokens needs scimEndpoint (IAM Identity Center > Settings > Identity source > Automatic provisioning).',
    );
    return {};
  }
  return { probe: { tokenNames, scimEndpoint } };
}
