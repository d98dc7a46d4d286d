/**
 * Flood control: when more alerts are due in one run than a channel should take (a day when many
 * tokens cross a threshold), the critical ones still go out one by one and the rest go out as one
 * digest. The digest is an alert like any other for delivery: its ledger key is derived from the
 * alerts it holds, and their states are written only once it is delivered, so it keeps the
 * exactly-once guarantee. Pure.
 */
import { createHash } from 'node:crypto';
import { type Alert, type AlertOrigin, type DigestEntry, originFields } from './alert';
import { isoDate } from './dates';
import type { PlannedAlert } from './evaluate';

/** Above this many alerts in one run, the non-critical ones are grouped (the default). */
export const DEFAULT_DIGEST_AFTER = 10;

function entryOf(alert: Alert): DigestEntry {
  const expiresAt = alert.token?.expiresAt ?? alert.announcedExpiry;
  return {
    tokenName: alert.tokenName ?? null,
    alertType: alert.alertType,
    severity: alert.severity,
    daysRemaining: alert.daysRemaining ?? null,
    expiryDate: expiresAt ? isoDate(expiresAt) : null,
  };
}

/**
 * The alerts to deliver: as planned when there are at most `after`; else every critical one on
 * its own and the others in one digest (sorted by days left).
 */
export function withDigest(
  alerts: readonly PlannedAlert[],
  after: number,
  now: Date,
  origin: AlertOrigin,
): PlannedAlert[] {
  if (alerts.length <= after) return [...alerts];
  const alone = alerts.filter((a) => a.alert.severity === 'critical');
  const grouped = alerts
    .filter((a) => a.alert.severity !== 'critical')
    .sort(
      (a, b) => (a.alert.daysRemaining ?? 0) - (b.alert.daysRemaining ?? 0) || a.key.localeCompare(b.key),
    );
  if (grouped.length < 2) return [...alerts];
  const key = `digest#${createHash('sha256')
    .update(
      grouped
        .map((a) => a.key)
        .sort()
        .join('\n'),
    )
    .digest('hex')
    .slice(0, 32)}`;
  const [first, ...rest] = grouped as [PlannedAlert, ...PlannedAlert[]];
  const digest: PlannedAlert = {
    key,
    alert: {
      alertType: 'digest',
      severity: grouped.some((a) => a.alert.severity === 'warning') ? 'warning' : 'info',
      evaluatedAt: now,
      digest: grouped.map((a) => entryOf(a.alert)),
      ...originFields(origin),
    },
    // Every grouped alert's state, once the digest is out.
    write: first.write,
    also: rest.map((a) => a.write),
  };
  return [...alone, digest];
}

/**
 * The digest's lines, one per alert, for e-mail and chat alike: `name` shows a token name and
 * `text` any other value, each the channel's way (a forged chat message may hold anything).
 */
export function digestLines(
  entries: readonly DigestEntry[],
  name: (value: string) => string,
  text: (value: string) => string,
): string[] {
  return entries.map((e) => {
    const when =
      e.daysRemaining === null
        ? ''
        : e.daysRemaining < 0
          ? `, expired ${-e.daysRemaining} day(s) ago`
          : `, expires in ${e.daysRemaining} day(s)`;
    return `- ${name(e.tokenName ?? '(monitor)')}: ${e.alertType} (${e.severity})${when}${e.expiryDate ? ` on ${text(e.expiryDate)}` : ''}`;
  });
}
