/**
 * `status`: every token with its expiry, last and next alert, what AWS Health confirmed, and what
 * CloudTrail's SCIM calls say of provisioning; exit 1 when something needs a person.
 */
import { humanInstant, isoDate } from '../core/dates';
import { providerFor } from '../core/providers';
import { provisioningLine, provisioningView, type TokenUse, tokenUse } from '../core/provisioning-view';
import { ladderOf } from '../core/severity';
import { parseTokenState, tokenStateKey } from '../core/state';
import { tokenStatus } from '../core/status';
import { readProvisioning } from '../functions/monitor/provisioning';
import { readPlan } from '../functions/monitor/read';
import { type CliContext, SILENT } from './commands';
import { CliError } from './errors';
import { paint, table, toneForDays } from './output';

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
  /** What CloudTrail's SCIM calls say of this token (null: provisioning not observed). */
  readonly provisioning: TokenUse | null;
}

export async function status(ctx: CliContext, opts: { json?: boolean; wide?: boolean }): Promise<void> {
  const plan = await readPlan(ctx.config, ctx.now, SILENT, ctx.registry.sources);
  const stored = await ctx.registry.sources.readStates(plan.tokens.map((t) => tokenStateKey(t.name)));
  const health = await ctx.registry.healthRecords();
  const confirmed = new Set(health.flatMap((h) => (h.matchedToken ? [h.matchedToken] : [])));
  const unregistered = health.filter((h) => h.matchedToken === null && h.expiryDate >= isoDate(ctx.now));
  const observed = provisioningView((await readProvisioning(ctx.registry.sources)).record);
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
        provisioning: observed ? tokenUse(observed, t) : null,
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
    provisioning: null,
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
          provisioning: observed ?? null,
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
  if (observed) {
    ctx.out.line();
    ctx.out.line(provisioningLine(observed));
    for (const r of rows) {
      const use = r.provisioning;
      if (use?.lastUsed)
        ctx.out.line(
          `  ${r.name}: in use (token ID ${r.tokenId}), last SCIM call ${humanInstant(new Date(use.lastUsed))}`,
        );
      else if (use?.successSinceCreation && r.createdAt && r.createdAt >= (observed.observedSince ?? ''))
        ctx.out.line(`  ${r.name}: successful SCIM calls seen since it was created`);
    }
  }
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
