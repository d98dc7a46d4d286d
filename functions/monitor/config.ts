/**
 * The function's configuration, read and checked once from its environment, which the construct
 * sets under the names of the contract (core/contract.ts `MONITOR_ENV`).
 */
import { DEFAULTS, MONITOR_ENV as ENV } from '../../core/contract';

export interface MonitorConfig {
  readonly topicArn: string;
  /** The registry prefix (`parameterPrefix`), with a trailing slash. */
  readonly registryPrefix: string;
  /** The delivery ledger: alert state and per-channel claims (DynamoDB). */
  readonly ledgerTable: string;
  readonly thresholdsDays: readonly number[];
  /** The severity ladder (core/severity.ts): absent, the defaults. */
  readonly pageWithinDays?: number;
  readonly dailyRemindersWithinDays?: number;
  /** The schedule's IANA time zone, when not UTC: alerts add their instants in it. */
  readonly scheduleTimeZone?: string;
  readonly validityDays: number;
  /** The bus's ARN (or `default`). */
  readonly eventBus: string;
  readonly region: string;
  readonly account?: string;
  /** Named in every subject before the account (`environmentName`). */
  readonly environmentName?: string;
  /** Emit `DaysToExpiry` per token (one custom metric each). */
  readonly tokenMetrics: boolean;
  /** Above this many alerts in one run, the non-critical ones go out as one digest. */
  readonly digestAfter: number;
  /** Tokens stored as SecureStrings whose value is checked against the SCIM endpoint daily. */
  readonly verifyTokens: readonly string[];
  readonly scimEndpoint?: string;
  /** Read the SCIM calls CloudTrail records, at most this many pages a run (absent: off). */
  readonly provisioningPages?: number;
  /** The opt-in provisioning alerts (absent: none). */
  readonly provisioningAlerts?: { readonly failuresAbove?: number; readonly silentHours?: number };
}

/** DIGEST_AFTER: a whole number from 1; the default when unset. */
function digestAfter(env: NodeJS.ProcessEnv): number {
  const raw = env[ENV.digestAfter]?.trim();
  if (!raw) return DEFAULTS.digestAfter;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${ENV.digestAfter} "${raw}" is not a whole number from 1: redeploy the monitor.`);
  }
  return n;
}

/** A whole number (of days, by default) from 0, or undefined when unset. */
function days(env: NodeJS.ProcessEnv, name: string, unit = 'days'): number | undefined {
  const raw = env[name]?.trim();
  if (!raw) return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 0) {
    throw new Error(`${name} "${raw}" is not a whole number of ${unit} from 0: redeploy the monitor.`);
  }
  return n;
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name]?.trim();
  if (!value)
    throw new Error(`Missing environment variable ${name}: the stack sets it; redeploy the monitor.`);
  return value;
}

function prefix(env: NodeJS.ProcessEnv, name: string): string {
  const value = required(env, name);
  if (!value.startsWith('/')) throw new Error(`${name} must start with "/", got "${value}".`);
  return value.endsWith('/') ? value : `${value}/`;
}

export function loadConfig(env: NodeJS.ProcessEnv): MonitorConfig {
  const thresholdsText = required(env, ENV.thresholdsDays);
  const thresholdsDays = thresholdsText.split(',').map((t) => Number(t.trim()));
  if (thresholdsDays.some((t) => !Number.isInteger(t) || t <= 0)) {
    throw new Error(
      `${ENV.thresholdsDays} must be positive whole numbers separated by commas, got "${thresholdsText}".`,
    );
  }
  const validityDays = Number(required(env, ENV.validityDays));
  if (!Number.isInteger(validityDays) || validityDays < 1) {
    throw new Error(`${ENV.validityDays} must be a positive whole number.`);
  }
  const account = env[ENV.account]?.trim();
  const verifyTokens = (env[ENV.verifyTokens] ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
  const scimEndpoint = env[ENV.scimEndpoint]?.trim();
  if (verifyTokens.length > 0 && !scimEndpoint) {
    throw new Error(
      `${ENV.verifyTokens} is set but ${ENV.scimEndpoint} is missing: redeploy the monitor with scimEndpoint.`,
    );
  }
  return {
    topicArn: required(env, ENV.alertTopicArn),
    registryPrefix: prefix(env, ENV.parameterPrefix),
    ledgerTable: required(env, ENV.ledgerTableName),
    thresholdsDays: [...new Set(thresholdsDays)].sort((a, b) => b - a),
    ...(days(env, ENV.pageWithinDays) !== undefined
      ? { pageWithinDays: days(env, ENV.pageWithinDays) as number }
      : {}),
    ...(days(env, ENV.dailyRemindersWithinDays) !== undefined
      ? { dailyRemindersWithinDays: days(env, ENV.dailyRemindersWithinDays) as number }
      : {}),
    ...(env[ENV.scheduleTimeZone]?.trim()
      ? { scheduleTimeZone: env[ENV.scheduleTimeZone]?.trim() as string }
      : {}),
    validityDays,
    eventBus: env[ENV.eventBusArn]?.trim() || 'default',
    region: required(env, 'AWS_REGION'),
    ...(account ? { account } : {}),
    ...(env[ENV.environmentName]?.trim()
      ? { environmentName: env[ENV.environmentName]?.trim() as string }
      : {}),
    tokenMetrics: env[ENV.tokenMetrics]?.trim() === 'true',
    digestAfter: digestAfter(env),
    verifyTokens,
    ...(scimEndpoint ? { scimEndpoint } : {}),
    ...(env[ENV.observeProvisioning]?.trim() === 'true'
      ? { provisioningPages: pages(env), provisioningAlerts: provisioningAlerts(env) }
      : {}),
  };
}

/** The opt-in provisioning alerts: whole numbers (failures from 0, hours from 1). */
function provisioningAlerts(env: NodeJS.ProcessEnv): { failuresAbove?: number; silentHours?: number } {
  const failuresAbove = days(env, ENV.provisioningFailuresAbove, 'failed calls');
  const silentHours = days(env, ENV.provisioningSilentHours, 'hours');
  if (silentHours === 0) {
    throw new Error(
      `${ENV.provisioningSilentHours} must be a whole number of hours from 1: redeploy the monitor.`,
    );
  }
  return {
    ...(failuresAbove !== undefined ? { failuresAbove } : {}),
    ...(silentHours !== undefined ? { silentHours } : {}),
  };
}

/** PROVISIONING_PAGES: a whole number from 1 to 100; the default when unset. */
function pages(env: NodeJS.ProcessEnv): number {
  const raw = env[ENV.provisioningPages]?.trim();
  if (!raw) return DEFAULTS.provisioningPages;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100) {
    throw new Error(
      `${ENV.provisioningPages} "${raw}" is not a whole number from 1 to 100: redeploy the monitor.`,
    );
  }
  return n;
}
