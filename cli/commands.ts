/**
 * The operator's commands. Each reuses the monitor's own code: the registry contract
 * (parseRegistration), the evaluation (readPlan: the same function the Lambda runs), the
 * rendering (renderAlert) and the AWS adapters.
 */
import type { Alert } from '../core/alert';
import { isoDate, parseIsoInstant } from '../core/dates';
import { consoleUrl } from '../core/instances';
import { renderAlert } from '../core/messages';
import { providerFor } from '../core/providers';
import { parseRegistration } from '../core/registration';
import { ladderOf } from '../core/severity';
import { tokenStatus } from '../core/status';
import type { EvaluationConfig } from '../functions/monitor/read';
import type { Deployment } from './deployment';
import { CliError, UsageError } from './errors';
import { checkTokenName } from './names';
import type { Output } from './output';
import type { Registry } from './registry';
import { verifyToken } from './verify';

export interface CliContext {
  readonly registry: Registry;
  readonly config: EvaluationConfig;
  /** The deployed monitor's settings, when one was found (never offline). */
  readonly deployment?: Deployment;
  readonly out: Output;
  readonly now: Date;
  /** Reads a secret without echo (standard input). */
  readonly readSecret: (prompt: string) => Promise<string>;
  /** A one-line note on standard error (what the operator should know before going on). */
  readonly notice: (text: string) => void;
}

/** Quiet: the CLI reports through its own output, not structured logs. */
export const SILENT = { info: () => {}, warn: () => {}, error: () => {} };

export function parseAt(at: string | undefined, fallback: Date): Date {
  if (at === undefined) return fallback;
  const parsed = parseIsoInstant(at.trim());
  if (!parsed.ok) throw new UsageError(`--at "${at}" ${parsed.reason}.`);
  return parsed.instant;
}

/** A known provider by its canonical ID (any case, common aliases: azure-ad is entra-id); other names as given. */
function canonicalProvider(text: string): string {
  const provider = providerFor(text);
  return provider.id === 'other' && text.trim().toLowerCase() !== 'other' ? text.trim() : provider.id;
}

/** The fields a rotation keeps from the registration it replaces (none if it was not JSON). */
async function keptFields(ctx: CliContext, name: string): Promise<Record<string, string>> {
  const current = await ctx.registry.get(name);
  if (current === undefined) return {};
  try {
    const parsed = JSON.parse(current) as Record<string, unknown>;
    return Object.fromEntries(
      (['identityProvider', 'instanceArn', 'owner', 'notes'] as const).flatMap((f) =>
        typeof parsed[f] === 'string' ? [[f, parsed[f] as string]] : [],
      ),
    );
  } catch {
    return {};
  }
}

export interface RegisterOptions {
  readonly createdAt?: string;
  readonly expiresAt?: string;
  readonly validityDays?: string;
  readonly tokenId?: string;
  readonly identityProvider?: string;
  readonly instanceArn?: string;
  readonly owner?: string;
  readonly notes?: string;
  readonly overwrite?: boolean;
  /** Check the new token against the SCIM endpoint before registering it. */
  readonly verify?: boolean;
  readonly scimEndpoint?: string;
  /** Keep the token itself as a SecureString registration (implies --verify). */
  readonly storeToken?: boolean;
  /** The KMS key for --store-token (default: the deployment's token key; never aws/ssm unless allowed). */
  readonly kmsKey?: string;
  /** Store under aws/ssm anyway, knowing who can then decrypt it. */
  readonly allowAwsManagedKey?: boolean;
}

export async function register(ctx: CliContext, name: string, opts: RegisterOptions): Promise<void> {
  checkTokenName(name, ctx.config.registryPrefix);
  if (opts.storeToken) {
    if (!ctx.registry.putSecureToken) {
      throw new UsageError(
        '--store-token needs the SSM registry: a file registry would keep the token in plain text.',
      );
    }
    // Before the token is read: the key it will be stored under, and where SSM requests go.
    const { storeTokenKey, ssmEndpointOverride } = await import('./store-token');
    const key = storeTokenKey(opts, ctx.deployment?.settings);
    const override = await ssmEndpointOverride();
    if (override) {
      ctx.notice(
        `SSM requests go to ${override}, an endpoint override (AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL or endpoint_url in your profile), not to AWS: the token will be stored there.`,
      );
    }
    const token = await verifyToken(ctx, opts.scimEndpoint);
    await ctx.registry.putSecureToken(name, token, opts.overwrite === true, key);
    ctx.out.line(
      `Registered ${name} as a SecureString in ${ctx.registry.where}${opts.overwrite ? ' (overwritten)' : ''}: its creation date is now, and it expires in ${ctx.config.validityDays} days.`,
    );
    ctx.out.line(
      key
        ? `  Encrypted with ${key}: only principals that key's policy and IAM allow can read the token.`
        : '  Encrypted with the AWS managed key aws/ssm (--allow-aws-managed-key): any principal of this account allowed to read the parameter can decrypt it. Move it under a customer-managed key soon: register it again with --overwrite --kms-key <key>.',
    );
    return;
  }
  if (opts.kmsKey)
    throw new UsageError('--kms-key goes with --store-token: only a stored token is encrypted.');
  if (opts.allowAwsManagedKey)
    throw new UsageError(
      '--allow-aws-managed-key goes with --store-token: only a stored token is encrypted.',
    );
  if (opts.createdAt === undefined && opts.expiresAt === undefined) {
    throw new UsageError('--created-at <YYYY-MM-DD> is required (or give --expires-at).');
  }
  let validityDays: number | undefined;
  if (opts.validityDays !== undefined) {
    validityDays = Number(opts.validityDays);
    if (!/^\d+$/.test(opts.validityDays.trim()))
      throw new UsageError(`--validity-days "${opts.validityDays}" is not a whole number.`);
  }
  // A rotation keeps what describes the token's place, not the token: owner, notes, instance and
  // identity provider stay unless given again; dates and the token ID are the new token's.
  const kept = opts.overwrite ? await keptFields(ctx, name) : {};
  const createdAt = opts.createdAt?.trim().toLowerCase() === 'today' ? isoDate(ctx.now) : opts.createdAt;
  const registration = {
    ...(createdAt !== undefined ? { createdAt } : {}),
    ...(opts.expiresAt !== undefined ? { expiresAt: opts.expiresAt } : {}),
    ...(validityDays !== undefined ? { validityDays } : {}),
    ...(opts.tokenId !== undefined ? { tokenId: opts.tokenId } : {}),
    ...(opts.identityProvider !== undefined
      ? { identityProvider: canonicalProvider(opts.identityProvider) }
      : {}),
    ...(opts.instanceArn !== undefined ? { instanceArn: opts.instanceArn } : {}),
    ...(opts.owner !== undefined ? { owner: opts.owner } : {}),
    ...(opts.notes !== undefined ? { notes: opts.notes } : {}),
  };
  for (const [field, value] of Object.entries(kept)) {
    if (!(field in registration)) Object.assign(registration, { [field]: value });
  }
  const value = JSON.stringify(registration);
  // Exactly the monitor's validation: what it would reject is never written.
  const parsed = parseRegistration(
    { name: `${ctx.config.registryPrefix}${name}`, type: 'String', value, version: 1 },
    { prefix: ctx.config.registryPrefix, defaultValidityDays: ctx.config.validityDays },
    ctx.now,
  );
  if (!parsed.valid) throw new UsageError(`Not registered: ${parsed.invalid.reason}.`);
  if (opts.verify) await verifyToken(ctx, opts.scimEndpoint);
  await ctx.registry.put(name, value, opts.overwrite === true);
  const { token } = parsed;
  const status = tokenStatus(
    token,
    { alertedThresholds: [], expiredAlerted: false },
    ctx.now,
    ladderOf(ctx.config),
  );
  ctx.out.line(`Registered ${name} in ${ctx.registry.where}${opts.overwrite ? ' (overwritten)' : ''}:`);
  ctx.out.line(`  ${value}`);
  ctx.out.line(
    `  expires ${token.expiresAt.toISOString()} (${status.daysRemaining} days from ${isoDate(ctx.now)}); ` +
      (status.nextAlert
        ? `next alert: ${status.nextAlert.label} on ${isoDate(status.nextAlert.date)}`
        : 'no alert pending'),
  );
}

export async function testAlert(ctx: CliContext, opts: { topicArn?: string }): Promise<void> {
  const topicArn = opts.topicArn ?? ctx.deployment?.settings.alertTopicArn;
  if (!topicArn) {
    throw new CliError(
      'No deployed monitor found in this region, so no alert topic: pass --stack-name (or --region), or --topic-arn.',
    );
  }
  const region = topicArn.split(':')[3] ?? ctx.config.region;
  const alert: Alert = {
    alertType: 'test',
    severity: 'info',
    evaluatedAt: ctx.now,
    consoleUrl: consoleUrl(region),
    region,
    account: topicArn.split(':')[4] ?? '',
    registryPrefix: ctx.config.registryPrefix,
  };
  const { publishAlert } = await import('../adapters/sns');
  const messageId = await publishAlert(topicArn, renderAlert(alert));
  ctx.out.line(`Test alert published to ${topicArn} (message ${messageId}).`);
  ctx.out.line('Check that it arrived by email, and in Slack and Teams if configured.');
}

export async function remove(ctx: CliContext, name: string): Promise<void> {
  checkTokenName(name, ctx.config.registryPrefix);
  await ctx.registry.remove(name);
  ctx.out.line(`Removed ${name} from ${ctx.registry.where} (and its alert state).`);
}
