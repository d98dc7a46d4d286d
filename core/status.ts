/**
 * Where a token stands for people (`scim-token-monitor status`): days left, the last alert sent
 * in its lifecycle, and the next one due if nothing changes. The next alert is found by asking the
 * monitor's own decision (lifecycle.ts) at each day something could be due, so status and the
 * monitor cannot disagree. Pure: `now` is an argument.
 */
import { daysRemaining, MS_PER_DAY, utcDayNumber } from './dates';
import { decideToken } from './lifecycle';
import type { Token } from './registration';
import type { Ladder } from './severity';
import type { TokenState } from './state';

export interface TokenStatus {
  readonly daysRemaining: number;
  readonly expired: boolean;
  /** `60-day`, `daily (3 days left)`, `expired`, or null when nothing was sent in this lifecycle. */
  readonly lastAlert: string | null;
  /** The next alert and the date it is due, or null when the token has expired and been reported. */
  readonly nextAlert: { readonly label: string; readonly date: Date } | null;
}

export function tokenStatus(token: Token, stored: TokenState, now: Date, ladder: Ladder): TokenStatus {
  // State from an earlier lifecycle (before a rotation) says nothing about this one.
  const state = stored.expiresAt === token.expiresAt.toISOString() ? stored : undefined;
  const days = daysRemaining(token.expiresAt, now);
  const expired = now.getTime() >= token.expiresAt.getTime();
  const sent = state?.alertedThresholds ?? [];
  const reminded = state?.remindedDay !== undefined && !sent.includes(state.remindedDay);
  const lastAlert = state?.expiredAlerted
    ? 'expired'
    : reminded
      ? `daily (${state?.remindedDay} days left)`
      : sent.length > 0
        ? `${Math.min(...sent)}-day`
        : null;
  if (state?.expiredAlerted) return { daysRemaining: days, expired, lastAlert, nextAlert: null };
  // Each day something could be due (today, a threshold's day, a reminder day, expiry), in order.
  const expiryDay = utcDayNumber(token.expiresAt);
  const dayOffsets = [
    ...ladder.thresholdsDays,
    ...Array.from({ length: Math.max(0, ladder.dailyRemindersWithinDays - 1) }, (_, i) => i + 1),
  ];
  const candidates = [now, ...dayOffsets.map((d) => new Date((expiryDay - d) * MS_PER_DAY)), token.expiresAt]
    .filter((c) => c.getTime() >= now.getTime())
    .sort((a, b) => a.getTime() - b.getTime());
  for (const at of candidates) {
    const decision = decideToken(
      token,
      state ?? { alertedThresholds: [], expiredAlerted: false },
      at,
      ladder,
    );
    if (decision.kind !== 'alert') continue;
    const label =
      decision.alertType === 'expired'
        ? 'expired'
        : decision.reminder > 0
          ? `daily (${daysRemaining(token.expiresAt, at)} days left)`
          : `${decision.threshold}-day`;
    return { daysRemaining: days, expired, lastAlert, nextAlert: { label, date: at } };
  }
  return { daysRemaining: days, expired, lastAlert, nextAlert: null };
}
