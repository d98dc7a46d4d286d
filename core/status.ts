/**
 * Where a token stands for people (`scim-token-monitor status`): days left, the last alert sent
 * in its lifecycle, and the next one due if nothing changes. Pure: `now` is an argument.
 */
import { addDays, daysRemaining } from './dates';
import type { Token } from './registration';
import type { TokenState } from './state';

export interface TokenStatus {
  readonly daysRemaining: number;
  readonly expired: boolean;
  /** `60-day`, `expired`, or null when nothing was sent in this lifecycle. */
  readonly lastAlert: string | null;
  /** The next alert and the date it is due, or null when the token has expired and been reported. */
  readonly nextAlert: { readonly label: string; readonly date: Date } | null;
}

export function tokenStatus(
  token: Token,
  stored: TokenState,
  now: Date,
  thresholdsDays: readonly number[],
): TokenStatus {
  // State from an earlier lifecycle (before a rotation) says nothing about this one.
  const state = stored.expiresAt === token.expiresAt.toISOString() ? stored : undefined;
  const days = daysRemaining(token.expiresAt, now);
  const expired = now.getTime() >= token.expiresAt.getTime();
  const sent = state?.alertedThresholds ?? [];
  const lastAlert = state?.expiredAlerted ? 'expired' : sent.length > 0 ? `${Math.min(...sent)}-day` : null;
  if (state?.expiredAlerted) return { daysRemaining: days, expired, lastAlert, nextAlert: null };
  // The next threshold not yet alerted; one already crossed is due at the next run (today).
  const pending = thresholdsDays.filter(
    (t) => !sent.includes(t) && !(sent.length > 0 && t > Math.min(...sent)),
  );
  const crossed = pending.filter((t) => t >= days);
  if (!expired && crossed.length > 0) {
    return {
      daysRemaining: days,
      expired,
      lastAlert,
      nextAlert: { label: `${Math.min(...crossed)}-day`, date: now },
    };
  }
  const later = pending.filter((t) => t < days);
  if (!expired && later.length > 0) {
    const t = Math.max(...later);
    return {
      daysRemaining: days,
      expired,
      lastAlert,
      nextAlert: { label: `${t}-day`, date: addDays(token.expiresAt, -t) },
    };
  }
  return {
    daysRemaining: days,
    expired,
    lastAlert,
    nextAlert: { label: 'expired', date: expired ? now : token.expiresAt },
  };
}
