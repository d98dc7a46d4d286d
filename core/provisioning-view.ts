/**
 * What CloudTrail's SCIM calls say, for people: the view of one tenant's record (core/provisioning.ts),
 * the `status` line, whether a registered token is in use, and the sentences each alert adds.
 * Every sentence says what the events show and no more (docs/operations.md "Provisioning observed").
 */
import { humanInstant } from './dates';
import type { CallAt, FailureRecord, ProvisioningRecord } from './provisioning';
import { oneLine } from './text';

const iso = (d: Date) => d.toISOString();

/** What one tenant's record says, for people: alerts, `status` and `doctor`. */
export interface ProvisioningView {
  readonly tenantId: string;
  readonly observedSince?: string;
  readonly lastCall?: CallAt;
  readonly lastSuccess?: CallAt;
  /** Failed calls since the last success, most frequent code first. */
  readonly failuresSinceSuccess: number;
  readonly failures: ReadonlyArray<{ readonly code: string } & FailureRecord>;
  readonly accessKeys: Readonly<Record<string, string>>;
  /** Some events were not read (a window held more than a run reads): counts are lower bounds. */
  readonly partial: boolean;
  /** Event history has been read up to this instant (ISO). */
  readonly readUntil?: string;
}

/**
 * The tenant to show: the one named (the probe's SCIM endpoint), else the one with the latest
 * call. An account holds one IAM Identity Center instance, so there is normally one.
 */
export function provisioningView(
  record: ProvisioningRecord,
  tenantId?: string,
): ProvisioningView | undefined {
  const entries = Object.entries(record.tenants);
  const chosen =
    (tenantId ? entries.find(([id]) => id === tenantId) : undefined) ??
    entries.sort(([, a], [, b]) => ((b.lastCall?.at ?? '') > (a.lastCall?.at ?? '') ? 1 : -1))[0];
  if (!chosen && !record.observedSince) return undefined;
  const [id, t] = chosen ?? [tenantId ?? '', { failures: {}, accessKeys: {} }];
  const failures = Object.entries(t.failures)
    .map(([code, f]) => ({ code, ...f }))
    .sort((a, b) => b.sinceSuccess - a.sinceSuccess || b.total - a.total);
  return {
    tenantId: id,
    ...(record.observedSince ? { observedSince: record.observedSince } : {}),
    ...(t.lastCall ? { lastCall: t.lastCall } : {}),
    ...(t.lastSuccess ? { lastSuccess: t.lastSuccess } : {}),
    failuresSinceSuccess: failures.reduce((n, f) => n + f.sinceSuccess, 0),
    failures,
    accessKeys: t.accessKeys,
    partial: record.cut !== undefined,
    ...(record.watermark ? { readUntil: record.watermark } : {}),
  };
}

const shown = (c: CallAt) => `${humanInstant(new Date(c.at))} (${c.operation})`;

/** `last success 2026-12-01 14:02 UTC (PatchUser); 3 failed calls since: ValidationException …` */
export function provisioningSummary(view: ProvisioningView): string {
  const since = view.observedSince ? humanInstant(new Date(view.observedSince)) : 'the first run';
  const success = view.lastSuccess
    ? `last success ${shown(view.lastSuccess)}`
    : `no successful SCIM call seen since ${since}`;
  const failing = view.failures.filter((f) => f.sinceSuccess > 0);
  const atLeast = view.partial ? 'at least ' : '';
  const failed =
    view.failuresSinceSuccess > 0
      ? `; ${atLeast}${view.failuresSinceSuccess} failed call${view.failuresSinceSuccess === 1 ? '' : 's'} ${view.lastSuccess ? 'since' : 'seen'}: ${failing
          .map(
            (f) => `${f.code} ×${f.sinceSuccess}${f.lastMessage ? ` ("${oneLine(f.lastMessage, 80)}")` : ''}`,
          )
          .join(', ')}`
      : '';
  return `${success}${failed}`;
}

/** The summary as `status` prints it: `provisioning: last success …`. */
export function provisioningLine(view: ProvisioningView): string {
  return `provisioning: ${provisioningSummary(view)}`;
}

/** What the events say of one registered token. */
export interface TokenUse {
  /** The token's ID is an access key ID of the calls: its last use (ISO). */
  readonly lastUsed?: string;
  /** A successful call after the token's creation: the latest (undefined: none seen since). */
  readonly successSinceCreation?: CallAt;
}

export function tokenUse(
  view: ProvisioningView,
  token: { readonly tokenId?: string; readonly createdAt?: Date },
): TokenUse {
  const lastUsed = token.tokenId ? view.accessKeys[token.tokenId] : undefined;
  const after = token.createdAt ? iso(token.createdAt) : undefined;
  const success =
    view.lastSuccess && after !== undefined && view.lastSuccess.at >= after ? view.lastSuccess : undefined;
  return { ...(lastUsed ? { lastUsed } : {}), ...(success ? { successSinceCreation: success } : {}) };
}

/** A call within this long before the evaluation counts as seen recently. */
const RECENT_DAYS = 7;

/**
 * What an alert says of provisioning, by alert type: the expired alert when provisioning last
 * succeeded (whom to reconcile), a warning whether SCIM calls were seen recently, a rotation
 * whether the identity provider has used a token created since. Only what the events show.
 */
export function provisioningSentences(
  alertType: string,
  view: ProvisioningView,
  token: { readonly tokenId?: string; readonly createdAt?: Date } | undefined,
  evaluatedAt: Date,
): string[] {
  const since = view.observedSince
    ? humanInstant(new Date(view.observedSince))
    : 'the monitor started reading';
  const source = "CloudTrail's record of SCIM calls";
  const use = token ? tokenUse(view, token) : {};
  const inUse = use.lastUsed
    ? [
        `This token's ID made SCIM calls, the latest at ${humanInstant(new Date(use.lastUsed))}: the identity provider uses it.`,
      ]
    : [];
  switch (alertType) {
    case 'expired':
      return [
        view.lastSuccess
          ? `Provisioning last succeeded at ${shown(view.lastSuccess)}, by ${source}: once the new token works, reconcile the joiners and leavers since then.`
          : `${source} shows no successful SCIM call since ${since}.`,
      ];
    case 'expiry-warning':
    case 'token-rejected': {
      const recent =
        view.lastCall &&
        evaluatedAt.getTime() - new Date(view.lastCall.at).getTime() <= RECENT_DAYS * 86_400_000;
      return [
        recent
          ? `SCIM calls were seen in the last ${RECENT_DAYS} days (${provisioningSummary(view)}).`
          : `No SCIM call was seen in the last ${RECENT_DAYS} days (${provisioningSummary(view)}); an identity provider that pushes only on change may simply have had none.`,
        ...inUse,
      ];
    }
    case 'token-rotated':
      return use.lastUsed && token?.createdAt && use.lastUsed >= token.createdAt.toISOString()
        ? [...inUse, 'It provisions with this token now: the old token can be deleted.']
        : use.successSinceCreation
          ? [
              `Successful SCIM calls were seen since this token was created, the latest at ${shown(use.successSinceCreation)}: the identity provider provisions with a token created since. Delete the old token once you know it is this one.`,
            ]
          : [
              `No successful SCIM call was seen since this token was created: before deleting the old token, run a provisioning test in the identity provider and check again with scim-token-monitor status.`,
            ];
    default:
      return [];
  }
}
