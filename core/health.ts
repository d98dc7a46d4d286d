/**
 * AWS Health's own notice of a SCIM token expiry, reconciled with the registry. AWS announces
 * the expiry (from 90 days before, weekly, then daily) but only to the account contacts, and our
 * registry only knows what operators recorded: a token announced by AWS that matches no
 * registration is a token nobody is watching. Pure: the event and `now` are arguments.
 */
import { createHash } from 'node:crypto';
import { adoptedName } from './adoption';
import { type Alert, type AlertOrigin, originFields } from './alert';
import { DEFAULTS, HEALTH_EVENTS } from './contract';
import { daysRemaining, isoDate, parseIsoInstant } from './dates';
import { matchingToken, type NoticeScope } from './matching';
import type { Token } from './registration';
import type { Severity } from './severity';
import { oneLine } from './text';

export interface HealthNotice {
  readonly eventArn: string;
  /** The expiry AWS announces, when the description could be read. */
  readonly expiresAt?: Date;
  /** The description as AWS wrote it (one line, capped), kept for the alert. */
  readonly description: string;
  readonly reportedAt: Date;
  readonly account?: string;
  readonly region?: string;
  /** The IAM Identity Center instance, when the notice names it among its affected entities. */
  readonly instanceArn?: string;
}

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

function utc(year: number, monthIndex: number, day: number, h = 0, m = 0, s = 0): Date | undefined {
  const d = new Date(Date.UTC(year, monthIndex, day, h, m, s));
  return d.getUTCFullYear() === year && d.getUTCMonth() === monthIndex && d.getUTCDate() === day
    ? d
    : undefined;
}

/**
 * The expiry in a Health description. AWS's wording is not a contract, so several shapes are
 * read, most specific first: "Fri Jan 15 10:30:00 UTC 2027", an ISO date or date-time,
 * "January 15, 2027" / "15 January 2027", and as a last resort "expires in 89 days" counted
 * from when the event was reported.
 */
export function expiryFromDescription(text: string, reportedAt: Date): Date | undefined {
  const month = (name: string) => MONTHS.indexOf(name.slice(0, 3).toLowerCase());
  // Java's Date.toString(): "[Fri ]Jan 15 10:30:00 UTC 2027".
  const java = /\b([A-Z][a-z]{2,8})\s+(\d{1,2})\s+(\d{2}):(\d{2}):(\d{2})\s+(?:UTC|GMT)\s+(\d{4})\b/.exec(
    text,
  );
  if (java && month(java[1] as string) >= 0) {
    const d = utc(
      Number(java[6]),
      month(java[1] as string),
      Number(java[2]),
      Number(java[3]),
      Number(java[4]),
      Number(java[5]),
    );
    if (d) return d;
  }
  const iso = /\b(\d{4}-\d{2}-\d{2}(?:T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:\d{2}))?)\b/.exec(text);
  if (iso) {
    const parsed = parseIsoInstant(iso[1] as string);
    if (parsed.ok) return parsed.instant;
  }
  const mdy = /\b([A-Z][a-z]{2,8})\.?\s+(\d{1,2}),?\s+(\d{4})\b/.exec(text);
  if (mdy && month(mdy[1] as string) >= 0) {
    const d = utc(Number(mdy[3]), month(mdy[1] as string), Number(mdy[2]));
    if (d) return d;
  }
  const dmy = /\b(\d{1,2})\s+([A-Z][a-z]{2,8})\.?,?\s+(\d{4})\b/.exec(text);
  if (dmy && month(dmy[2] as string) >= 0) {
    const d = utc(Number(dmy[3]), month(dmy[2] as string), Number(dmy[1]));
    if (d) return d;
  }
  const inDays = /expires?\s+in\s+(\d{1,3})\s+days?/i.exec(text);
  if (inDays) {
    const d = new Date(reportedAt.getTime() + Number(inDays[1]) * 86_400_000);
    return new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate()));
  }
  return undefined;
}

/**
 * Reads an EventBridge `AWS Health Event`; anything else is a reason, never an exception. `scim`
 * tells a SCIM token notice that could not be read (worth an alert) from another event.
 */
export function parseHealthEvent(
  event: unknown,
): { ok: true; notice: HealthNotice } | { ok: false; reason: string; scim: boolean } {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const detail = (typeof e.detail === 'object' && e.detail !== null ? e.detail : {}) as Record<
    string,
    unknown
  >;
  if (e.source !== HEALTH_EVENTS.source || e['detail-type'] !== HEALTH_EVENTS.detailType)
    return { ok: false, reason: 'not an AWS Health event', scim: false };
  if (detail.eventTypeCode !== HEALTH_EVENTS.scimExpiryEventType) {
    return {
      ok: false,
      reason: `unexpected event type ${oneLine(String(detail.eventTypeCode), 100)}`,
      scim: false,
    };
  }
  const eventArn = typeof detail.eventArn === 'string' ? detail.eventArn : '';
  if (!eventArn) return { ok: false, reason: 'the event has no eventArn', scim: true };
  const descriptions = Array.isArray(detail.eventDescription) ? detail.eventDescription : [];
  const english =
    descriptions.find((d) => (d as Record<string, unknown>)?.language === 'en_US') ?? descriptions[0] ?? {};
  const raw = (english as Record<string, unknown>).latestDescription;
  const description = typeof raw === 'string' ? raw : '';
  const time = typeof e.time === 'string' ? new Date(e.time) : new Date(Number.NaN);
  const reportedAt = Number.isNaN(time.getTime()) ? new Date(0) : time;
  const expiresAt = expiryFromDescription(description, reportedAt);
  // The account the notice is about: detail.affectedAccount (organizational view), else the
  // event's own account (the account AWS Health delivered it in).
  const account = [detail.affectedAccount, e.account].find(
    (a): a is string => typeof a === 'string' && /^\d{12}$/.test(a),
  );
  const entities = Array.isArray(detail.affectedEntities) ? detail.affectedEntities : [];
  const instanceArn = entities
    .map((x) => (x as Record<string, unknown>)?.entityValue)
    .find((v): v is string => typeof v === 'string' && INSTANCE_ARN.test(v));
  return {
    ok: true,
    notice: {
      eventArn,
      ...(expiresAt ? { expiresAt } : {}),
      description: oneLine(description, 2000),
      reportedAt,
      ...(account ? { account } : {}),
      ...(typeof e.region === 'string' ? { region: e.region } : {}),
      ...(instanceArn ? { instanceArn } : {}),
    },
  };
}

const INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/[A-Za-z0-9._-]+$/;

/** The notice's scope for matching: its account and, when named, its instance. */
export function noticeScope(notice: Pick<HealthNotice, 'account' | 'instanceArn'>): NoticeScope {
  return {
    ...(notice.account ? { account: notice.account } : {}),
    ...(notice.instanceArn ? { instanceArn: notice.instanceArn } : {}),
  };
}

/**
 * A notice the monitor cannot use (AWS changed its wording, the event lacks a field): it is not
 * ignored in silence, since that would switch the safety net off unseen. One `health-notice-unreadable`
 * alert per event (its ARN, or the description's hash when it has none).
 */
export function unreadableNotice(
  event: unknown,
  reason: string,
  now: Date,
  context: AlertOrigin,
): { readonly alert: Alert; readonly key: string } {
  const e = (typeof event === 'object' && event !== null ? event : {}) as Record<string, unknown>;
  const detail = (typeof e.detail === 'object' && e.detail !== null ? e.detail : {}) as Record<
    string,
    unknown
  >;
  const arn = typeof detail.eventArn === 'string' && detail.eventArn ? detail.eventArn : undefined;
  const descriptions = Array.isArray(detail.eventDescription) ? detail.eventDescription : [];
  const raw = (descriptions[0] as Record<string, unknown> | undefined)?.latestDescription;
  const description = typeof raw === 'string' ? raw : '';
  const id = arn ?? createHash('sha256').update(description).digest('hex').slice(0, 32);
  return {
    key: `health-unreadable#${id}`,
    alert: {
      alertType: 'health-notice-unreadable',
      severity: 'warning',
      evaluatedAt: now,
      reason: `${reason}.${description ? ` AWS Health said: ${oneLine(description, 1500)}` : ''}`,
      ...originFields(context),
    },
  };
}

/** What the monitor remembers of one announced expiry (one ledger record per expiry date). */
export interface HealthRecord {
  readonly expiryDate: string;
  readonly eventArn: string;
  /** The registered token it matched, or null. */
  readonly matchedToken: string | null;
  /** The severity of the last `unregistered-token` alert sent for it, or null. */
  readonly alertedSeverity: Severity | null;
  readonly firstSeen: string;
}

/**
 * The ledger record of one announced expiry date: `health/2027-01-15`, or
 * `health/2027-01-15@210987654321` for a notice of another account than the monitor's.
 */
export function healthStateKey(expiryDate: string, foreignAccount?: string): string {
  return `health/${expiryDate}${foreignAccount ? `@${foreignAccount}` : ''}`;
}

export function parseHealthRecord(text: string | undefined): HealthRecord | undefined {
  if (text === undefined) return undefined;
  try {
    const o = JSON.parse(text) as Record<string, unknown>;
    if (typeof o.expiryDate !== 'string' || typeof o.eventArn !== 'string') return undefined;
    return {
      expiryDate: o.expiryDate,
      eventArn: o.eventArn,
      matchedToken: typeof o.matchedToken === 'string' ? o.matchedToken : null,
      alertedSeverity:
        o.alertedSeverity === 'warning' || o.alertedSeverity === 'critical' ? o.alertedSeverity : null,
      firstSeen: typeof o.firstSeen === 'string' ? o.firstSeen : '',
    };
  } catch {
    return undefined;
  }
}

export interface HealthDecision {
  readonly record: HealthRecord;
  /** False when nothing changed: the same notice repeating writes nothing. */
  readonly changed: boolean;
  readonly alert?: Alert;
}

/**
 * Matched: recorded as confirmed, no alert. Unmatched: the token is adopted (see adoption.ts) and
 * one `unregistered-token` alert says so (warning; critical within `pageWithinDays`); from then on the
 * adopted token's own 60/30/7/expired alerts follow, so this one never escalates.
 */
export function reconcile(
  notice: HealthNotice & { readonly expiresAt: Date },
  tokens: readonly Token[],
  stored: HealthRecord | undefined,
  now: Date,
  context: AlertOrigin,
  pageWithinDays: number = DEFAULTS.pageWithinDays,
): HealthDecision {
  const expiryDate = isoDate(notice.expiresAt);
  const match = matchingToken(notice.expiresAt, tokens, noticeScope(notice));
  const foreign = notice.account && notice.account !== context.account ? notice.account : undefined;
  const days = daysRemaining(notice.expiresAt, now);
  // Like every token alert: a page only within the page window (the final day by default).
  const severity: Severity = days <= pageWithinDays ? 'critical' : 'warning';
  const base: HealthRecord = stored ?? {
    expiryDate,
    eventArn: notice.eventArn,
    matchedToken: null,
    alertedSeverity: null,
    firstSeen: now.toISOString(),
  };
  if (match) {
    const record = { ...base, matchedToken: match.name };
    return { record, changed: base.matchedToken !== match.name };
  }
  const record = { ...base, matchedToken: null };
  if (base.alertedSeverity !== null) return { record, changed: base.matchedToken !== null };
  return {
    record: { ...record, alertedSeverity: severity },
    changed: true,
    alert: {
      alertType: 'unregistered-token',
      severity,
      evaluatedAt: now,
      daysRemaining: days,
      announcedExpiry: notice.expiresAt,
      reason: `The monitor now watches it as ${adoptedName(notice.expiresAt, foreign)} (60/30/7-day and expiry alerts follow); register it${foreign ? ` with "account":"${foreign}"` : ''} to add its owner and identity provider. AWS Health said: ${notice.description}`,
      ...originFields(context),
    },
  };
}
