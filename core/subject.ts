/**
 * An alert's subject line: what a person sees in a list of e-mails, in SNS's limits (ASCII, under
 * 100 characters), with the deployment's name first so alerts from several accounts tell apart.
 */
import type { Alert } from './alert';
import { humanInstant, isoDate } from './dates';
import { ascii, defang } from './text';

/** SNS subjects must be ASCII and under 100 characters. */
export const MAX_SUBJECT_CHARS = 99;

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** How many alerts a digest holds: those it shows and those it counts. */
export function digestSize(alert: Pick<Alert, 'digest' | 'digestOmitted'>): number {
  return (alert.digest?.length ?? 0) + (alert.digestOmitted ?? 0);
}

/** Which deployment sent it: the configured environment name, else the account ID. */
function where(alert: Alert): string | undefined {
  const w = alert.environmentName ?? alert.account;
  return w ? ascii(w, 32) : undefined;
}

/**
 * The subject, at most 99 ASCII characters however long the deployment's and the token's names:
 * the whole name with the expiry's time and zone (`2027-01-15 00:00 UTC`), else with its date
 * only, else the name shortened.
 */
export function subjectOf(alert: Alert): string {
  // The whole name first (it says which token), then the expiry's time (its date stays).
  for (const precision of ['instant', 'date'] as const) {
    const whole = composeSubject(alert, precision, false);
    if (whole.length <= MAX_SUBJECT_CHARS) return whole;
  }
  return ascii(composeSubject(alert, 'date', true), MAX_SUBJECT_CHARS);
}

function composeSubject(alert: Alert, precision: 'instant' | 'date', shorten: boolean): string {
  // Alerts from several accounts on one topic must not look the same.
  const at = where(alert);
  const tag = `[${alert.severity.toUpperCase()}]${at ? ` ${at}:` : ''}`;
  // Shown, not linked: a name may look like a host (SSM accepts www.example.com).
  const name = defang(alert.tokenName ?? '');
  const expiryInstant = alert.token?.expiresAt ?? alert.announcedExpiry;
  // The instant, not only the date: 00:00 UTC is the evening before in the Americas.
  const expiry = expiryInstant
    ? precision === 'instant'
      ? humanInstant(expiryInstant)
      : isoDate(expiryInstant)
    : '';
  // The name is the only part of unbounded length: shorten it so the rest always fits.
  const withName = (before: string, after: string) =>
    `${before}${ascii(name, shorten ? Math.max(8, MAX_SUBJECT_CHARS - before.length - after.length) : 1024)}${after}`;
  switch (alert.alertType) {
    case 'expiry-warning': {
      const days = alert.daysRemaining ?? 0;
      const when = days <= 0 ? 'today' : `in ${plural(days, 'day')}`;
      return withName(`${tag} SCIM token `, ` expires ${when} (${expiry})`);
    }
    case 'expired':
      return alert.reminder
        ? withName(`${tag} SCIM token `, ` is STILL EXPIRED (since ${expiry})`)
        : withName(`${tag} SCIM token `, ` has EXPIRED (${expiry})`);
    case 'invalid-registration':
      return withName(
        `${tag} SCIM token registration `,
        alert.reminder ? ' is STILL invalid: not monitored' : ' is invalid: not monitored',
      );
    case 'token-date-moved':
      return withName(`${tag} SCIM token `, ` rewritten: expiry moved to ${expiry}`);
    case 'probe-inconclusive':
      return withName(`${tag} SCIM token `, ': daily check inconclusive, cannot tell if it works');
    case 'monitor-alarm':
      return ascii(
        `${tag} SCIM token monitor alarm ${alert.alarm?.name ?? ''} is ${alert.alarm?.state ?? ''}`,
        MAX_SUBJECT_CHARS,
      );
    case 'no-tokens':
      return `${tag} SCIM token monitor: no tokens registered, nothing is monitored`;
    case 'unregistered-token': {
      const days = alert.daysRemaining ?? 0;
      const when = days <= 0 ? 'today' : `in ${plural(days, 'day')}`;
      // AWS Health announced it; the body says so. The subject keeps room for the instant.
      return `${tag} Unregistered SCIM token expires ${when} (${expiry})`;
    }
    case 'token-rejected':
      return withName(`${tag} SCIM token `, ' was REJECTED by IAM Identity Center');
    case 'digest':
      return ascii(
        `${tag} SCIM token monitor: ${digestSize(alert)} token alerts due (digest)`,
        MAX_SUBJECT_CHARS,
      );
    case 'health-notice-unreadable':
      return `${tag} AWS Health: a SCIM token notice the monitor could not read`;
    case 'subscribers-dropped':
      return alert.subscribers?.now === 0
        ? `${tag} SCIM token monitor: nobody is subscribed to alerts any more`
        : `${tag} SCIM token monitor: alert subscribers dropped from ${alert.subscribers?.before ?? '?'} to ${alert.subscribers?.now ?? '?'}`;
    case 'token-rotated':
      return withName(`${tag} SCIM token `, ` rotated: now expires ${expiry}`);
    case 'scim-calls-failing': {
      const failed = alert.failedCalls;
      return `${tag} SCIM provisioning calls are failing${failed ? ` (${failed.atLeast ? 'at least ' : ''}${failed.count} failed)` : ''}`;
    }
    case 'scim-calls-silent':
      return `${tag} No successful SCIM provisioning call seen for a while`;
    case 'test':
      return `[TEST]${at ? ` ${at}:` : ''} SCIM token monitor: test alert, no action needed`;
  }
}
