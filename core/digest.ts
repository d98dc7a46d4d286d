/**
 * A digest: alerts of one severity in one message (flood control, see flood.ts). Its entries, the
 * lines e-mail and chat show for them, and the digest alert itself. Pure.
 */
import { type Alert, type AlertOrigin, type DigestEntry, originFields } from './alert';
import { isoDate } from './dates';
import type { Severity } from './severity';

/** One alert as a digest shows it. */
export function entryOf(alert: Alert): DigestEntry {
  const expiresAt = alert.token?.expiresAt ?? alert.announcedExpiry;
  return {
    tokenName: alert.tokenName ?? null,
    alertType: alert.alertType,
    severity: alert.severity,
    daysRemaining: alert.daysRemaining ?? null,
    threshold: alert.threshold ?? null,
    expiryDate: expiresAt ? isoDate(expiresAt) : null,
  };
}

/**
 * The digest of `members` (already in the order to show them), showing the first `shown` of them
 * (all by default): the rest are counted, so every alert is named or counted.
 */
export function digestAlert(
  members: readonly Alert[],
  severity: Severity,
  now: Date,
  origin: AlertOrigin,
  shown = members.length,
): Alert {
  const count = Math.max(0, Math.min(shown, members.length));
  return {
    alertType: 'digest',
    severity,
    evaluatedAt: now,
    digest: members.slice(0, count).map(entryOf),
    ...(count < members.length ? { digestOmitted: members.length - count } : {}),
    ...originFields(origin),
  };
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

/** The line that counts what a cut digest does not show. */
export function omittedLine(omitted: number | undefined): string[] {
  return omitted ? [`- and ${omitted} more: run \`scim-token-monitor status\` to see every token.`] : [];
}
