/**
 * The registry the year-long simulation changes day by day, and the alerts the specification
 * promises for it, worked out independently of the monitor's code.
 */
import { addDays, isoDate } from '../../core/dates';

export const START = new Date('2026-01-01T08:00:00Z');
export const DAYS = 365;
const THRESHOLDS = [60, 30, 7];

export type Change = {
  readonly day: string;
  readonly name: string;
  readonly value: string;
  readonly type?: 'String' | 'SecureString';
  readonly at?: Date;
};

export const day = (d: string) => new Date(`${d}T00:00:00Z`);
export const ymd = (d: Date) => isoDate(d);

/** The registry over the year: each entry is a write that happens before that day's run. */
export function registryChanges(): Change[] {
  const changes: Change[] = [];
  // 40 yearly tokens expiring from March to December, each rotated (see below).
  for (let i = 0; i < 40; i++) {
    const created = addDays(day('2025-03-01'), 7 * i);
    const name = i % 2 === 0 ? `team${i % 4}/okta-${i}` : `entra-${i}`;
    changes.push({
      day: '2026-01-01',
      name,
      value: JSON.stringify({ createdAt: ymd(created), tokenId: `tok-${i}` }),
    });
    // Every fifth is rotated 3 days before it expires; the others 10 days after (an outage, and
    // one weekly "still expired" reminder).
    const rotated = addDays(created, i % 5 === 0 ? 365 - 3 : 365 + 10);
    changes.push({
      day: ymd(rotated),
      name,
      value: JSON.stringify({ createdAt: ymd(rotated), tokenId: `tok-${i}-b` }),
    });
  }
  // 6 short-lived tokens (100 days), each rotated two days after it expires: several lifecycles.
  for (let j = 0; j < 6; j++) {
    let created = addDays(day('2025-12-01'), 3 * j);
    changes.push({
      day: '2026-01-01',
      name: `short-${j}`,
      value: JSON.stringify({ createdAt: ymd(created), validityDays: 100 }),
    });
    for (;;) {
      const rotated = addDays(created, 102);
      if (rotated >= addDays(START, DAYS)) break;
      changes.push({
        day: ymd(rotated),
        name: `short-${j}`,
        value: JSON.stringify({ createdAt: ymd(rotated), validityDays: 100 }),
      });
      created = rotated;
    }
  }
  // 4 SecureStrings dated by their last modification.
  for (let k = 0; k < 4; k++) {
    changes.push({
      day: '2026-01-01',
      name: `vault/secret-${k}`,
      value: 'top-secret',
      type: 'SecureString',
      at: addDays(day('2025-06-01'), 20 * k),
    });
  }
  // Invalid registrations, and one that breaks for a while and is then fixed.
  changes.push({ day: '2026-01-01', name: 'bad-date', value: '{"createdAt":"2026-02-30"}' });
  changes.push({ day: '2026-01-01', name: 'bad-json', value: '{"createdAt": ' });
  changes.push({ day: '2026-01-01', name: 'bad-type', value: '{"createdAt":20260101}' });
  // Fixed after weekly reminders; bad-huge stays invalid all year.
  for (const name of ['bad-date', 'bad-json', 'bad-type'])
    changes.push({ day: '2026-03-01', name, value: '{"createdAt":"2026-02-27"}' });
  changes.push({ day: '2026-01-01', name: 'bad-huge', value: `{"notes":"${'x'.repeat(9000)}"}` });
  changes.push({ day: '2026-01-01', name: 'flaky', value: '{"createdAt":"2025-12-01"}' });
  changes.push({ day: '2026-05-01', name: 'flaky', value: '{"createdAt":"2025-13-01"}' });
  changes.push({ day: '2026-05-10', name: 'flaky', value: '{"createdAt":"2025-12-01"}' });
  return changes;
}

/** What an alert is (not when it was evaluated): token, type, threshold, lifecycle, reminder. */
export function copyKey(p: Record<string, unknown>): string {
  return [p.tokenName, p.alertType, p.threshold, p.expiresAt, p.reminder ?? 0, p.reason ?? ''].join('|');
}

export interface Expected {
  readonly key: string;
  readonly date: string;
}

/**
 * The alerts the specification promises, worked out independently of the monitor's code: per
 * lifecycle, each threshold on the day its days-left reaches it (every lifecycle here starts more
 * than 60 days out), and `expired` on the first run after the expiry instant.
 */
export function expectedAlerts(changes: Change[]): Expected[] {
  const out: Expected[] = [];
  const byName = new Map<string, Change[]>();
  for (const c of changes) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
  for (const [name, versions] of byName) {
    // The last valid lifecycle seen, and whether it alerted: a new one after it is a rotation.
    let last: { expiry: Date; alertedBefore: (date: string) => boolean } | undefined;
    versions.forEach((v, idx) => {
      const until = versions[idx + 1] ? day(versions[idx + 1]?.day as string) : addDays(START, DAYS);
      let expiry: Date;
      if (v.type === 'SecureString') expiry = addDays(v.at as Date, 365);
      else {
        const parsed = JSON.parse(
          v.value.startsWith('{"notes"') ? '{}' : v.value.replace(/: $/, ':null}'),
        ) as { createdAt?: unknown; validityDays?: number };
        const created =
          typeof parsed.createdAt === 'string' ? new Date(`${parsed.createdAt}T00:00:00Z`) : undefined;
        if (
          !created ||
          Number.isNaN(created.getTime()) ||
          !/^\d{4}-(0[1-9]|1[0-2])-\d{2}$/.test(String(parsed.createdAt)) ||
          parsed.createdAt === '2026-02-30'
        ) {
          out.push({ key: `${name} invalid-registration v${idx + 1}`, date: v.day });
          return;
        }
        expiry = addDays(created, parsed.validityDays ?? 365);
      }
      // A new lifecycle after one that alerted: a rotation is said once (not for a SecureString
      // whose rewrite moved a lifecycle still inside its thresholds: that may be the old token).
      if (last && last.expiry.getTime() !== expiry.getTime() && last.alertedBefore(v.day)) {
        const moved = v.type === 'SecureString' && last.expiry > day(v.day) && last.expiry < expiry;
        if (!moved) out.push({ key: `${name} token-rotated 0 ${expiry.toISOString()}`, date: v.day });
      }
      const mine = out.length;
      const lifecycle = expiry;
      last = {
        expiry: lifecycle,
        alertedBefore: (date) =>
          out
            .slice(mine)
            .some(
              (e) =>
                e.key.startsWith(`${name} `) &&
                !e.key.includes(' token-rotated ') &&
                e.key.endsWith(` ${lifecycle.toISOString()}`) &&
                e.date < date,
            ),
      };
      // Already inside thresholds when first seen: one alert at once, for the most urgent.
      const start = day(v.day);
      const daysAtStart = Math.round((day(ymd(expiry)).getTime() - start.getTime()) / 86_400_000);
      const crossed = THRESHOLDS.filter((t) => t >= daysAtStart);
      if (crossed.length > 0 && addDays(start, 8 / 24) < expiry) {
        out.push({
          key: `${name} expiry-warning ${Math.min(...crossed)} ${expiry.toISOString()}`,
          date: v.day,
        });
      }
      for (const t of THRESHOLDS.filter((x) => x < daysAtStart)) {
        const on = addDays(day(ymd(expiry)), -t);
        if (on < until)
          out.push({ key: `${name} expiry-warning ${t} ${expiry.toISOString()}`, date: ymd(on) });
      }
      const firstRunAfter = addDays(day(ymd(expiry)), expiry.getUTCHours() >= 8 ? 1 : 0);
      if (firstRunAfter < until)
        out.push({ key: `${name} expired 0 ${expiry.toISOString()}`, date: ymd(firstRunAfter) });
    });
  }
  return out;
}
