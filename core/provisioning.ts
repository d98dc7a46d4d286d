/**
 * Provisioning observed: what CloudTrail's Event history says of the SCIM calls identity providers
 * make (event source `identitystore-scim.amazonaws.com`), folded into one small record per SCIM
 * tenant: the last call, the last successful call, failures by error code with the latest
 * message, and the access key IDs seen with their last use. Pure: parsing, folding, bounds and the
 * sentences alerts and the CLI show. Nothing else from an event is kept.
 *
 * What AWS documents, and what it does not (docs/operations.md "Provisioning observed"): calls
 * rejected for an expired or wrong token may not be logged at all, an idle identity provider may
 * call nothing for days, and whether `accessKeyId` is the token ID the console shows is not
 * documented. So every sentence here says what the events show and no more.
 */
import { jsonObject } from './json';
import { oneLine } from './text';

/** CloudTrail's event source for IAM Identity Center's SCIM API. */
export const SCIM_EVENT_SOURCE = 'identitystore-scim.amazonaws.com';
/** The ledger record holding every tenant's observations. */
export const PROVISIONING_STATE_KEY = 'provisioning';
/** Event history keeps 90 days of management events: the first run looks back that far. */
export const EVENT_HISTORY_DAYS = 90;
/**
 * Events reach Event history minutes after the call (about 5 on average, not guaranteed): a run
 * reads up to this long before now, and the next run starts where it stopped, so none is missed.
 */
export const DELIVERY_LAG_MS = 15 * 60_000;

/** Bounds, so the record stays a few kilobytes whatever the events hold. */
const MAX_TENANTS = 5;
const MAX_ERROR_CODES = 10;
const MAX_ACCESS_KEYS = 10;
const MAX_MESSAGE_CHARS = 300;
const MAX_NAME_CHARS = 64;

/** One SCIM call, as much of its CloudTrail event as the monitor keeps. */
export interface ScimCall {
  readonly at: Date;
  readonly operation: string;
  readonly tenantId: string;
  readonly accessKeyId?: string;
  readonly errorCode?: string;
  readonly errorMessage?: string;
}

export interface CallAt {
  /** ISO instant. */
  readonly at: string;
  readonly operation: string;
}

export interface FailureRecord {
  /** Failed calls with this code since the tenant's last successful call (at least, if a window was cut). */
  readonly sinceSuccess: number;
  /** Failed calls with this code in every window read. */
  readonly total: number;
  readonly last: CallAt;
  readonly lastMessage?: string;
}

export interface TenantRecord {
  readonly lastCall?: CallAt;
  readonly lastSuccess?: CallAt;
  readonly failures: Readonly<Record<string, FailureRecord>>;
  /** Access key IDs of the calls, each with its last use (ISO). */
  readonly accessKeys: Readonly<Record<string, string>>;
}

export interface ProvisioningRecord {
  /** Every event up to this instant (ISO) has been read, or skipped as `cut` says. */
  readonly watermark?: string;
  /** The first instant (ISO) the record covers: Event history's horizon at the first run. */
  readonly observedSince?: string;
  /** The last window held more events than a run reads: its oldest were not read. */
  readonly cut?: { readonly from: string; readonly to: string };
  readonly tenants: Readonly<Record<string, TenantRecord>>;
}

export const EMPTY_PROVISIONING: ProvisioningRecord = { tenants: {} };

const text = (v: unknown, max: number): string | undefined =>
  typeof v === 'string' && v.trim() ? oneLine(v, max) : undefined;

/**
 * Reads a CloudTrail event record (the `CloudTrailEvent` JSON of `LookupEvents`); undefined for
 * anything that is not a SCIM call with a tenant.
 */
export function parseScimCall(cloudTrailEvent: string | undefined): ScimCall | undefined {
  const raw = jsonObject(cloudTrailEvent);
  if (!raw || raw.eventSource !== SCIM_EVENT_SOURCE) return undefined;
  const at = new Date(String(raw.eventTime));
  const params = (raw.requestParameters ?? {}) as Record<string, unknown>;
  const identity = (raw.userIdentity ?? {}) as Record<string, unknown>;
  const operation = text(raw.eventName, MAX_NAME_CHARS);
  const tenantId = text(params.tenantId, MAX_NAME_CHARS);
  if (Number.isNaN(at.getTime()) || !operation || !tenantId) return undefined;
  const accessKeyId = text(identity.accessKeyId, MAX_NAME_CHARS);
  const errorCode = text(raw.errorCode, MAX_NAME_CHARS);
  const errorMessage = text(raw.errorMessage, MAX_MESSAGE_CHARS);
  return {
    at,
    operation,
    tenantId,
    ...(accessKeyId ? { accessKeyId } : {}),
    ...(errorCode ? { errorCode } : {}),
    ...(errorMessage ? { errorMessage } : {}),
  };
}

const iso = (d: Date) => d.toISOString();
const later = (a: string | undefined, b: string) => (a === undefined || b > a ? b : a);

/** Keeps the `max` entries with the latest instants. */
function newest<T>(entries: Record<string, T>, max: number, at: (v: T) => string): Record<string, T> {
  return Object.fromEntries(
    Object.entries(entries)
      .sort(([, a], [, b]) => (at(b) > at(a) ? 1 : at(b) < at(a) ? -1 : 0))
      .slice(0, max),
  );
}

/** Folds one tenant's calls (any order) into its record. */
function foldTenant(before: TenantRecord | undefined, calls: readonly ScimCall[]): TenantRecord {
  let lastCall = before?.lastCall;
  let lastSuccess = before?.lastSuccess;
  const accessKeys: Record<string, string> = { ...(before?.accessKeys ?? {}) };
  for (const c of calls) {
    const at = iso(c.at);
    if (!lastCall || at > lastCall.at) lastCall = { at, operation: c.operation };
    if (!c.errorCode && (!lastSuccess || at > lastSuccess.at)) lastSuccess = { at, operation: c.operation };
    if (c.accessKeyId) accessKeys[c.accessKeyId] = later(accessKeys[c.accessKeyId], at);
  }
  const successMoved = lastSuccess?.at !== before?.lastSuccess?.at;
  const failures: Record<string, FailureRecord> = {};
  for (const [code, f] of Object.entries(before?.failures ?? {})) {
    failures[code] = { ...f, sinceSuccess: successMoved ? 0 : f.sinceSuccess };
  }
  for (const c of calls) {
    if (!c.errorCode) continue;
    const at = iso(c.at);
    const code = oneLine(c.errorCode, MAX_NAME_CHARS);
    const message = c.errorMessage ? oneLine(c.errorMessage, MAX_MESSAGE_CHARS) : undefined;
    const f = failures[code];
    const newer = !f || at >= f.last.at;
    failures[code] = {
      sinceSuccess: (f?.sinceSuccess ?? 0) + (!lastSuccess || at > lastSuccess.at ? 1 : 0),
      total: (f?.total ?? 0) + 1,
      last: newer ? { at, operation: c.operation } : (f as FailureRecord).last,
      ...(newer
        ? message
          ? { lastMessage: message }
          : {}
        : f?.lastMessage
          ? { lastMessage: f.lastMessage }
          : {}),
    };
  }
  return {
    ...(lastCall ? { lastCall } : {}),
    ...(lastSuccess ? { lastSuccess } : {}),
    failures: newest(failures, MAX_ERROR_CODES, (f) => f.last.at),
    accessKeys: newest(accessKeys, MAX_ACCESS_KEYS, (at) => at),
  };
}

/** One window's reading: its calls, and whether every event in it was read. */
export interface Window {
  readonly from: Date;
  readonly to: Date;
  readonly calls: readonly ScimCall[];
  /** False when the run's page budget ended before the window's oldest event. */
  readonly complete: boolean;
  /** With `complete` false: the oldest instant read (older events of the window were not). */
  readonly oldestRead?: Date;
}

/** Where the next window starts and ends: after the watermark, up to the delivery lag before `now`. */
export function nextWindow(record: ProvisioningRecord, now: Date): { from: Date; to: Date } | undefined {
  // Whole seconds: CloudTrail's instants are, and both ends of a lookup are inclusive.
  const to = new Date(Math.floor((now.getTime() - DELIVERY_LAG_MS) / 1000) * 1000);
  const horizon = new Date(to.getTime() - EVENT_HISTORY_DAYS * 86_400_000);
  const after = record.watermark ? new Date(new Date(record.watermark).getTime() + 1000) : horizon;
  const from = after < horizon ? horizon : after;
  return from <= to ? { from, to } : undefined;
}

/** The record after a window's calls. */
export function foldWindow(record: ProvisioningRecord, window: Window): ProvisioningRecord {
  const byTenant = new Map<string, ScimCall[]>();
  for (const c of window.calls) {
    if (c.at < window.from || c.at > window.to) continue;
    byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c]);
  }
  const tenants: Record<string, TenantRecord> = { ...record.tenants };
  for (const [tenant, calls] of byTenant) tenants[tenant] = foldTenant(record.tenants[tenant], calls);
  const cut =
    window.complete || !window.oldestRead
      ? undefined
      : { from: iso(window.from), to: iso(new Date(window.oldestRead.getTime() - 1000)) };
  return {
    watermark: iso(window.to),
    observedSince: record.observedSince ?? iso(window.from),
    ...(cut ? { cut } : {}),
    tenants: newest(tenants, MAX_TENANTS, (t) => t.lastCall?.at ?? ''),
  };
}

function parseCallAt(v: unknown): CallAt | undefined {
  const r = v as Record<string, unknown> | undefined;
  return r && typeof r.at === 'string' && typeof r.operation === 'string'
    ? { at: r.at, operation: r.operation }
    : undefined;
}

const count = (v: unknown) => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : 0);

/** Reads the stored record; anything unreadable counts as nothing observed yet. */
export function parseProvisioningRecord(json: string | undefined): ProvisioningRecord {
  const raw = jsonObject(json);
  if (!raw) return EMPTY_PROVISIONING;
  const tenants: Record<string, TenantRecord> = {};
  for (const [id, t] of Object.entries((raw.tenants ?? {}) as Record<string, Record<string, unknown>>)) {
    if (!t || typeof t !== 'object') continue;
    const lastCall = parseCallAt(t.lastCall);
    const lastSuccess = parseCallAt(t.lastSuccess);
    const failures: Record<string, FailureRecord> = {};
    for (const [code, f] of Object.entries((t.failures ?? {}) as Record<string, Record<string, unknown>>)) {
      const last = parseCallAt(f?.last);
      if (!last) continue;
      failures[code] = {
        sinceSuccess: count(f.sinceSuccess),
        total: count(f.total),
        last,
        ...(typeof f.lastMessage === 'string' ? { lastMessage: f.lastMessage } : {}),
      };
    }
    const accessKeys = Object.fromEntries(
      Object.entries((t.accessKeys ?? {}) as Record<string, unknown>).filter(
        ([, v]) => typeof v === 'string',
      ),
    ) as Record<string, string>;
    tenants[id] = {
      ...(lastCall ? { lastCall } : {}),
      ...(lastSuccess ? { lastSuccess } : {}),
      failures,
      accessKeys,
    };
  }
  const cut = raw.cut as Record<string, unknown> | undefined;
  return {
    ...(typeof raw.watermark === 'string' ? { watermark: raw.watermark } : {}),
    ...(typeof raw.observedSince === 'string' ? { observedSince: raw.observedSince } : {}),
    ...(cut && typeof cut.from === 'string' && typeof cut.to === 'string'
      ? { cut: { from: cut.from, to: cut.to } }
      : {}),
    tenants,
  };
}
