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
import { parseTokenState, tokenStateKey } from '../core/state';
import { tokenStatus } from '../core/status';
import { type EvaluationConfig, readPlan } from '../functions/monitor/read';
import type { Deployment } from './deployment';
import { CliError, UsageError } from './errors';
import { checkTokenName } from './names';
import { type Output, paint, table, toneForDays } from './output';
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

interface StatusRow {
  readonly name: string;
  readonly valid: boolean;
  readonly identityProvider: string | null;
  readonly tokenId: string | null;
  readonly createdAt: string | null;
  readonly expiresAt: string | null;
  readonly daysRemaining: number | null;
  readonly lastAlert: string | null;
  readonly nextAlert: { readonly alert: string; readonly date: string } | null;
  /** AWS Health announced this token's expiry (and the monitor matched it). */
  readonly healthConfirmed: boolean;
  /** Where the registration came from: the registry, or adopted from an AWS Health notice. */
  readonly source: 'registry' | 'aws-health';
  readonly reason: string | null;
}

export async function status(ctx: CliContext, opts: { json?: boolean; wide?: boolean }): Promise<void> {
  const plan = await readPlan(ctx.config, ctx.now, SILENT, ctx.registry.sources);
  const stored = await ctx.registry.sources.readStates(plan.tokens.map((t) => tokenStateKey(t.name)));
  const health = await ctx.registry.healthRecords();
  const confirmed = new Set(health.flatMap((h) => (h.matchedToken ? [h.matchedToken] : [])));
  const unregistered = health.filter((h) => h.matchedToken === null && h.expiryDate >= isoDate(ctx.now));
  const rows: StatusRow[] = [...plan.tokens]
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime())
    .map((t) => {
      const s = tokenStatus(
        t,
        parseTokenState(stored.get(tokenStateKey(t.name))),
        ctx.now,
        ladderOf(ctx.config),
      );
      return {
        name: t.name,
        valid: true,
        identityProvider: t.identityProvider ?? null,
        tokenId: t.tokenId ?? null,
        createdAt: t.createdAt ? t.createdAt.toISOString() : null,
        expiresAt: t.expiresAt.toISOString(),
        daysRemaining: s.daysRemaining,
        lastAlert: s.lastAlert,
        nextAlert: s.nextAlert ? { alert: s.nextAlert.label, date: isoDate(s.nextAlert.date) } : null,
        healthConfirmed: confirmed.has(t.name) || t.source === 'aws-health',
        source: t.source === 'aws-health' ? 'aws-health' : 'registry',
        reason: null,
      };
    });
  const invalid: StatusRow[] = plan.invalid.map((i) => ({
    name: i.name,
    valid: false,
    identityProvider: null,
    tokenId: null,
    createdAt: null,
    expiresAt: null,
    daysRemaining: null,
    lastAlert: null,
    nextAlert: null,
    healthConfirmed: false,
    source: 'registry',
    reason: i.reason,
  }));
  const alertState = ctx.registry.alertState ? 'known' : 'unknown';
  if (opts.json) {
    ctx.out.line(
      JSON.stringify(
        {
          evaluatedAt: ctx.now.toISOString(),
          registry: ctx.registry.where,
          alertState,
          ...(ctx.deployment ? { deployment: ctx.deployment.parameterName } : {}),
          tokens: [...rows, ...invalid],
        },
        null,
        2,
      ),
    );
    return needsAttention(ctx, rows, invalid);
  }
  if (!ctx.registry.alertState) {
    ctx.out.line(
      paint(
        ctx.out,
        'warning',
        ctx.registry.where.startsWith('SSM')
          ? 'Alert state unknown: no deployed monitor found in this region (pass --stack-name, or --ledger-table): LAST ALERT shows nothing sent, and NEXT ALERT assumes so.'
          : 'Alert state unknown: a registry file keeps none (LAST ALERT shows nothing sent).',
      ),
    );
  }
  if (rows.length + invalid.length === 0) {
    ctx.out.line(
      `No token is registered in ${ctx.registry.where}. Register one: scim-token-monitor register <name> --created-at <YYYY-MM-DD>`,
    );
    return;
  }
  ctx.out.line(`${rows.length} token(s) in ${ctx.registry.where}, as of ${ctx.now.toISOString()}:`);
  // What on-call needs fits 100 columns; --wide (or --json) adds the registration's details.
  const columns: Array<[string, (r: StatusRow) => string, boolean]> = [
    ['NAME', (r) => r.name, true],
    ['PROVIDER', (r) => (r.identityProvider ? providerFor(r.identityProvider).label : '-'), false],
    ['TOKEN ID', (r) => r.tokenId ?? '-', false],
    ['CREATED', (r) => (r.createdAt ? r.createdAt.slice(0, 10) : '-'), false],
    ['EXPIRES', (r) => (r.expiresAt ?? '').slice(0, 10), true],
    [
      'DAYS LEFT',
      (r) =>
        (r.daysRemaining ?? 0) < 0 ? `expired ${-(r.daysRemaining ?? 0)}d ago` : String(r.daysRemaining),
      true,
    ],
    ['LAST ALERT', (r) => r.lastAlert ?? '-', true],
    ['NEXT ALERT', (r) => (r.nextAlert ? `${r.nextAlert.alert} ${r.nextAlert.date}` : '-'), true],
    [
      'AWS HEALTH',
      (r) => (r.source === 'aws-health' ? 'adopted' : r.healthConfirmed ? 'confirmed' : '-'),
      false,
    ],
  ];
  const shown = columns.filter(([, , always]) => always || opts.wide);
  table(
    ctx.out,
    shown.map(([h]) => h),
    rows.map((r) => shown.map(([, cell]) => cell(r))),
    rows.map((r) => toneForDays(r.daysRemaining ?? 0, (r.daysRemaining ?? 0) < 0)),
  );
  if (unregistered.length > 0) {
    ctx.out.line();
    ctx.out.line(
      paint(
        ctx.out,
        'critical',
        `AWS Health announced ${unregistered.length} expiry date(s) that no registered token matches (watched as adopted):`,
      ),
    );
    for (const h of unregistered)
      ctx.out.line(
        `  ${h.expiryDate}: register the token that expires then, with its owner and identity provider (scim-token-monitor register <name> --expires-at ${h.expiryDate} --identity-provider <idp> --owner <team>)`,
      );
  }
  if (invalid.length > 0) {
    ctx.out.line();
    ctx.out.line(paint(ctx.out, 'warning', `${invalid.length} invalid registration(s), not monitored:`));
    for (const i of invalid) ctx.out.line(`  ${i.name}: ${i.reason}`);
  }
  needsAttention(ctx, rows, invalid);
}

/**
 * Exit 1 when something needs a person: an invalid registration, an expired token, or an alert
 * due by now, so that scripts (and CI jobs) can gate on `status`.
 */
function needsAttention(ctx: CliContext, rows: readonly StatusRow[], invalid: readonly StatusRow[]): void {
  const today = isoDate(ctx.now);
  const expired = rows.filter((r) => (r.daysRemaining ?? 0) < 0).length;
  const due = rows.filter(
    (r) => (r.daysRemaining ?? 0) >= 0 && r.nextAlert && r.nextAlert.date <= today,
  ).length;
  const parts = [
    ...(invalid.length > 0 ? [`${invalid.length} invalid registration(s)`] : []),
    ...(expired > 0 ? [`${expired} expired token(s)`] : []),
    ...(due > 0 ? [`${due} alert(s) due`] : []),
  ];
  if (parts.length > 0)
    throw new CliError(`${parts.join(', ')}: see above (exit 1, so scripts can act on it).`);
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
