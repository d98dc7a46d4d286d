/**
 * ISO 8601 dates as the registry contract accepts them, and whole UTC calendar days.
 *
 * Hand-written on purpose: the contract is narrower than any general parser (date-fns, Luxon,
 * `Date.parse`) accepts — no week or ordinal dates, no basic format, no zone-less date-times,
 * and impossible calendar dates such as 2026-02-30 must be rejected rather than rolled over.
 * Nothing here reads the clock.
 */

export const MS_PER_DAY = 86_400_000;

export type ParsedInstant =
  | { readonly ok: true; readonly instant: Date; readonly dateOnly: boolean }
  | { readonly ok: false; readonly reason: string };

const ISO = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:\d{2})?)?$/;

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Parses `2026-01-15` (00:00 UTC) or `2026-01-15T10:30:00Z` / `2026-01-15T10:30:00+02:00`.
 * Returns a reason, not an exception, so that one bad registration never stops a run.
 */
export function parseIsoInstant(text: string): ParsedInstant {
  const m = ISO.exec(text);
  if (!m) {
    return { ok: false, reason: 'is not an ISO 8601 date (YYYY-MM-DD) or date-time with Z or an offset' };
  }
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  if (year < 1970) return { ok: false, reason: 'is before 1970' };
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return { ok: false, reason: 'is not a real calendar date' };
  }
  if (h === undefined) {
    return { ok: true, instant: new Date(Date.UTC(year, month - 1, day)), dateOnly: true };
  }
  if (zone === undefined) {
    return {
      ok: false,
      reason: 'is a date-time without a time zone: end it with Z or an offset such as +02:00',
    };
  }
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (hour > 23 || minute > 59 || second > 59) return { ok: false, reason: 'has an impossible time of day' };
  let offsetMinutes = 0;
  if (zone !== 'Z') {
    const oh = Number(zone.slice(1, 3));
    const om = Number(zone.slice(4, 6));
    if (oh > 14 || om > 59) return { ok: false, reason: 'has an impossible UTC offset' };
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (oh * 60 + om);
  }
  const ms = frac === undefined ? 0 : Math.floor(Number(`0.${frac}`) * 1000);
  const utc = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offsetMinutes * 60_000;
  return { ok: true, instant: new Date(utc), dateOnly: false };
}

/** Days since 1970-01-01 of the UTC calendar date that holds `instant`. */
export function utcDayNumber(instant: Date): number {
  return Math.floor(instant.getTime() / MS_PER_DAY);
}

/**
 * Whole UTC calendar days from the date of `now` to the date of `expiry`:
 * a token expiring 2027-01-15 has 60 days remaining at any time on 2026-11-16.
 */
export function daysRemaining(expiry: Date, now: Date): number {
  return utcDayNumber(expiry) - utcDayNumber(now);
}

export function addDays(instant: Date, days: number): Date {
  return new Date(instant.getTime() + days * MS_PER_DAY);
}

/** `2027-01-15 10:30 UTC`: what a person reads; payloads keep full ISO instants. */
export function humanInstant(at: Date): string {
  return `${at.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `2027-01-14 19:00 EST` in an IANA time zone (`America/New_York`), as people there read it. */
export function zonedInstant(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'short',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.year}-${parts.month}-${parts.day} ${parts.hour}:${parts.minute} ${parts.timeZoneName}`;
}

/** An IANA time zone name this runtime knows (`Europe/Berlin`), for validating settings. */
export function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return /^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/.test(name);
  } catch {
    return false;
  }
}

/** `2027-01-15` */
export function isoDate(instant: Date): string {
  return instant.toISOString().slice(0, 10);
}
