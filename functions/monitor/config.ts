/** The function's configuration, read and checked once from its environment (set by the construct). */

export interface MonitorConfig {
  readonly topicArn: string;
  readonly registryPrefix: string;
  /** The delivery ledger: alert state and per-channel claims (DynamoDB). */
  readonly ledgerTable: string;
  readonly thresholdsDays: readonly number[];
  readonly validityDays: number;
  readonly eventBusName: string;
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
}

import { DEFAULT_DIGEST_AFTER } from '../../core/flood';

/** Environment variable names, shared with the construct that sets them. */
export const ENV = {
  topicArn: 'ALERT_TOPIC_ARN',
  registryPrefix: 'REGISTRY_PREFIX',
  ledgerTable: 'LEDGER_TABLE',
  thresholdsDays: 'THRESHOLDS_DAYS',
  validityDays: 'DEFAULT_VALIDITY_DAYS',
  eventBusName: 'EVENT_BUS_NAME',
  account: 'ACCOUNT_ID',
  environmentName: 'ENVIRONMENT_NAME',
  tokenMetrics: 'TOKEN_METRICS',
  digestAfter: 'DIGEST_AFTER',
  verifyTokens: 'VERIFY_TOKENS',
  scimEndpoint: 'SCIM_ENDPOINT',
} as const;

/** DIGEST_AFTER: a whole number from 1; the default when unset. */
function digestAfter(env: NodeJS.ProcessEnv): number {
  const raw = env[ENV.digestAfter]?.trim();
  if (!raw) return DEFAULT_DIGEST_AFTER;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`${ENV.digestAfter} "${raw}" is not a whole number from 1: redeploy the monitor.`);
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
    topicArn: required(env, ENV.topicArn),
    registryPrefix: prefix(env, ENV.registryPrefix),
    ledgerTable: required(env, ENV.ledgerTable),
    thresholdsDays: [...new Set(thresholdsDays)].sort((a, b) => b - a),
    validityDays,
    eventBusName: env[ENV.eventBusName]?.trim() || 'default',
    region: required(env, 'AWS_REGION'),
    ...(account ? { account } : {}),
    ...(env[ENV.environmentName]?.trim()
      ? { environmentName: env[ENV.environmentName]?.trim() as string }
      : {}),
    tokenMetrics: env[ENV.tokenMetrics]?.trim() === 'true',
    digestAfter: digestAfter(env),
    verifyTokens,
    ...(scimEndpoint ? { scimEndpoint } : {}),
  };
}
