/**
 * Checks shared by the construct (props) and the stack (context). Each returns the problems
 * found as sentences naming the setting, so callers can collect them all and throw once.
 */
import { Token } from 'aws-cdk-lib';
import { DEPLOYMENT_SETTINGS } from '../core/contract';
import { MAX_VALIDITY_DAYS } from '../core/registration';
import { parseScimEndpoint } from '../core/scim-endpoint';

export { MAX_VALIDITY_DAYS };

// The shape of an email address as SNS accepts it; deliverability is SNS's confirmation email's job.
const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;
// SSM parameter hierarchy: letters, digits, . - _ between slashes.
const SSM_PATH = /^(\/[A-Za-z0-9._-]+)+\/$/;

export function emailProblems(setting: string, emails: readonly string[]): string[] {
  return emails
    .filter((e) => !Token.isUnresolved(e) && !EMAIL.test(e))
    .map((e) => `${setting}: "${e}" is not an email address.`);
}

export function thresholdProblems(
  setting: string,
  thresholds: readonly number[],
  validityDays: number,
): string[] {
  if (thresholds.length === 0) return [`${setting} must list at least one threshold (days before expiry).`];
  const problems: string[] = [];
  for (const t of thresholds) {
    if (!Number.isInteger(t) || t <= 0)
      problems.push(`${setting}: ${t} is not a positive whole number of days.`);
    else if (t >= validityDays)
      problems.push(`${setting}: ${t} days is not below the token validity of ${validityDays} days.`);
  }
  if (new Set(thresholds).size !== thresholds.length)
    problems.push(`${setting} must not repeat a threshold.`);
  return problems;
}

export function validityProblems(setting: string, validityDays: number): string[] {
  return Number.isInteger(validityDays) && validityDays >= 1 && validityDays <= MAX_VALIDITY_DAYS
    ? []
    : [
        `${setting} must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS} (IAM Identity Center issues SCIM tokens for one year), got ${validityDays}.`,
      ];
}

export function prefixProblems(setting: string, prefix: string): string[] {
  if (!prefix.startsWith('/')) return [`${setting} must start with "/", got "${prefix}".`];
  const slashed = withTrailingSlash(prefix);
  if (DEPLOYMENT_SETTINGS.path.startsWith(slashed) || slashed.startsWith(DEPLOYMENT_SETTINGS.path)) {
    return [
      `${setting} must not contain ${DEPLOYMENT_SETTINGS.path}, where monitors publish their settings, got "${prefix}".`,
    ];
  }
  if (/^\/(aws|ssm)/i.test(prefix))
    return [`${setting} must not start with /aws or /ssm (reserved by AWS), got "${prefix}".`];
  if (!SSM_PATH.test(prefix.endsWith('/') ? prefix : `${prefix}/`)) {
    return [
      `${setting} must be an SSM path of letters, digits, ".", "-" and "_" between slashes, got "${prefix}".`,
    ];
  }
  return [];
}

/** `/a/b` and `/a/b/` name the same hierarchy; the monitor works with the trailing slash. */
export function withTrailingSlash(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

/** Configuration that cannot be deployed as given: every problem, one per line. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

export function throwIfAny(what: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new ConfigurationError(`Invalid ${what}:\n  - ${[...new Set(problems)].join('\n  - ')}`);
}

/**
 * How many hours apart an EventBridge schedule runs at most: exact for `rate(...)`, 24 for a
 * cron that fires every day (any hour and minute fields), undefined for a cron restricted to some
 * days (the longest gap then depends on the days chosen).
 */
export function scheduleIntervalHours(expression: string): number | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression);
  if (rate) {
    const n = Number(rate[1]);
    return rate[2]?.startsWith('minute') ? n / 60 : rate[2]?.startsWith('hour') ? n : n * 24;
  }
  const cron = /^cron\((\S+) (\S+) (\S+) (\S+) (\S+) (\S+)\)$/.exec(expression);
  if (cron && ['*', '?'].includes(cron[3] ?? '') && ['*', '?'].includes(cron[5] ?? '') && cron[4] === '*') {
    return 24;
  }
  return undefined;
}

const GUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/**
 * How a setting is named in messages: by the construct's prop path (`slack.workspaceId`), or,
 * when the app read it from context, by the context key the deployer typed (`slackWorkspaceId`).
 */
export type SettingNames = Readonly<Record<string, string>>;
const named = (names: SettingNames, prop: string) => names[prop] ?? prop;

/** The app's context keys for the grouped props, so its messages name what the deployer typed. */
export const CONTEXT_NAMES: SettingNames = {
  'slack.workspaceId': 'slackWorkspaceId',
  'slack.channelId': 'slackChannelId',
  'teams.teamId': 'teamsTeamId',
  'teams.channelId': 'teamsChannelId',
  'teams.tenantId': 'teamsTenantId',
  'slackWebhook.secretName': 'slackWebhookSecretName',
  'probe.tokenNames': 'verifyStoredTokens',
  'probe.scimEndpoint': 'scimEndpoint',
  'organization.healthSourceAccounts': 'healthSourceAccounts',
  'pagerDuty.routingKeySecretName': 'pagerDutySecretName',
  'provisioningAlerts.failuresAbove': 'provisioningFailuresAbove',
  'provisioningAlerts.silentHours': 'provisioningSilentHours',
};

/** Chat settings, each value in the shape the service expects (their groups are typed complete). */
export function chatProblems(
  p: {
    slack?: { workspaceId: string; channelId: string };
    teams?: { teamId: string; channelId: string; tenantId: string };
    slackWebhook?: { secretName: string };
  },
  names: SettingNames = {},
): string[] {
  const n = (prop: string) => named(names, prop);
  const problems: string[] = [];
  const given = (v: string | undefined): v is string => v !== undefined && !Token.isUnresolved(v);
  const { slack, teams, slackWebhook } = p;
  if (given(slack?.workspaceId) && !/^[0-9A-Z]{1,255}$/.test(slack.workspaceId)) {
    problems.push(
      `${n('slack.workspaceId')} "${slack.workspaceId}" is not a Slack workspace ID (e.g. T07EA123LEP).`,
    );
  }
  if (given(slack?.channelId) && !/^[A-Za-z0-9]{1,255}$/.test(slack.channelId)) {
    problems.push(
      `${n('slack.channelId')} "${slack.channelId}" is not a Slack channel ID (e.g. C0123456789).`,
    );
  }
  if (given(teams?.teamId) && !GUID.test(teams.teamId))
    problems.push(`${n('teams.teamId')} "${teams.teamId}" is not a GUID.`);
  if (given(teams?.tenantId) && !GUID.test(teams.tenantId))
    problems.push(`${n('teams.tenantId')} "${teams.tenantId}" is not a GUID.`);
  if (given(teams?.channelId) && !/^\S{1,256}$/.test(teams.channelId)) {
    problems.push(
      `${n('teams.channelId')} "${teams.channelId}" is not a Teams channel ID (from the channel link, e.g. 19%3a...%40thread.tacv2).`,
    );
  }
  if (given(slackWebhook?.secretName) && !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(slackWebhook.secretName)) {
    problems.push(
      `${n('slackWebhook.secretName')} "${slackWebhook.secretName}" is not a Secrets Manager secret name.`,
    );
  }
  return problems;
}

/** The opt-in probe needs valid token names and IAM Identity Center's SCIM endpoint. */
export function probeProblems(
  probe: { tokenNames: readonly string[]; scimEndpoint: string } | undefined,
  names: SettingNames = {},
): string[] {
  if (!probe) return [];
  const tokens = named(names, 'probe.tokenNames');
  const endpoint = named(names, 'probe.scimEndpoint');
  const problems = probe.tokenNames
    .filter((t) => !/^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/.test(t))
    .map((t) => `${tokens}: "${t}" is not a token name (the parameter name after the registry prefix).`);
  if (probe.tokenNames.length === 0) problems.push(`${tokens} must name at least one token.`);
  if (!probe.scimEndpoint) {
    problems.push(
      `${endpoint} is required (IAM Identity Center > Settings > Identity source > Automatic provisioning).`,
    );
  } else if (!Token.isUnresolved(probe.scimEndpoint)) {
    try {
      parseScimEndpoint(probe.scimEndpoint);
    } catch (error) {
      problems.push(`${endpoint}: ${(error as Error).message}`);
    }
  }
  return problems;
}
