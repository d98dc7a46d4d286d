/**
 * One registration's decisions, which the run's planner (plan.ts) puts together: which threshold
 * of a token's lifecycle is due, its daily reminders before expiry, the weekly reminders of an
 * expired token or an invalid
 * registration, and a SecureString whose rewrite moved its date. Pure and clock-free.
 */
import { addDays, daysRemaining, MS_PER_DAY } from './dates';
import type { InvalidRegistration, Token } from './registration';
import { isReminderDay, type Ladder } from './severity';
import { EMPTY_TOKEN_STATE, type TokenState } from './state';

/** Reminders while a token stays expired or a registration stays invalid: weekly. */
export const REMINDER_DAYS = 7;
/** A SecureString rewritten this recently is checked against its previous lifecycle. */
export const REWRITE_LOOKBACK_DAYS = 8;

/** Whole reminder periods (weeks) from `since` to `now`: 0 in the first week. */
function remindersDue(since: number, now: Date): number {
  return Number.isNaN(since) ? 0 : Math.floor((now.getTime() - since) / (REMINDER_DAYS * MS_PER_DAY));
}

export type TokenDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'write'; readonly state: TokenState }
  | {
      readonly kind: 'alert';
      readonly state: TokenState;
      readonly alertType: 'expiry-warning' | 'expired';
      /** The threshold crossed (for a daily reminder, the smallest crossed); 0 once expired. */
      readonly threshold: number;
      /**
       * For `expired`: 0 for the alert itself, then one more per weekly reminder. For a daily
       * reminder before expiry: which one (1 on the first reminder day); 0 for a threshold's alert.
       */
      readonly reminder: number;
    };

/**
 * One token's decision. A threshold fires once per lifecycle (identified by the expiry instant),
 * on the first run at or inside it; after missed runs only the most urgent crossed threshold
 * alerts, and the others are marked done. Below `dailyRemindersWithinDays`, a reminder each day
 * until expiry (once per day left, never on a day a threshold alerted). Once the expiry instant
 * has passed: one `expired` alert, then a reminder every week while the registration still shows
 * the expired token.
 */
export function decideToken(token: Token, stored: TokenState, now: Date, ladder: Ladder): TokenDecision {
  const { thresholdsDays } = ladder;
  const lifecycle = token.expiresAt.toISOString();
  const current: TokenState =
    stored.expiresAt === lifecycle
      ? stored
      : {
          ...EMPTY_TOKEN_STATE,
          expiresAt: lifecycle,
          ...(stored.invalid ? { invalid: stored.invalid } : {}),
        };

  if (now.getTime() >= token.expiresAt.getTime()) {
    const state = { ...current, alertedThresholds: [...thresholdsDays], expiredAlerted: true };
    if (!current.expiredAlerted)
      return { kind: 'alert', state, alertType: 'expired', threshold: 0, reminder: 0 };
    const due = remindersDue(token.expiresAt.getTime(), now);
    if (due <= (current.expiredReminders ?? 0)) return { kind: 'none' };
    return {
      kind: 'alert',
      state: { ...state, expiredReminders: due },
      alertType: 'expired',
      threshold: 0,
      reminder: due,
    };
  }

  const days = daysRemaining(token.expiresAt, now);
  const due = thresholdsDays.filter((t) => days <= t && !current.alertedThresholds.includes(t));
  if (due.length > 0) {
    const mostUrgent = Math.min(...due);
    const state = {
      ...current,
      alertedThresholds: [...current.alertedThresholds, ...due],
      // A threshold's alert is that day's news: no reminder the same day.
      ...(isReminderDay(days, ladder) ? { remindedDay: days } : {}),
    };
    // A more urgent alert already went out (the thresholds were reconfigured): no step backwards.
    if (current.alertedThresholds.some((t) => t < mostUrgent)) return { kind: 'write', state };
    return { kind: 'alert', state, alertType: 'expiry-warning', threshold: mostUrgent, reminder: 0 };
  }
  const crossed = current.alertedThresholds.filter((t) => t >= days);
  if (isReminderDay(days, ladder) && crossed.length > 0 && (current.remindedDay ?? Infinity) > days) {
    return {
      kind: 'alert',
      state: { ...current, remindedDay: days },
      alertType: 'expiry-warning',
      threshold: Math.min(...crossed),
      reminder: ladder.dailyRemindersWithinDays - days,
    };
  }
  // A stored lifecycle that is over (a rotation): reset it, so its alerts are forgotten.
  const stale = stored.expiresAt !== undefined && stored.expiresAt !== lifecycle;
  return stale ? { kind: 'write', state: current } : { kind: 'none' };
}

/**
 * A SecureString is dated by its last write, so re-applying the same value (infrastructure code)
 * looks exactly like a rotation. When that happens while the previous lifecycle was already
 * inside a threshold and not yet over, say so: if it was not a rotation, the old expiry stands.
 */
export function movedSecureString(token: Token, stored: TokenState, now: Date): Date | undefined {
  if (token.source !== 'secure-string' || stored.expiresAt === undefined) return undefined;
  const previous = new Date(stored.expiresAt);
  if (Number.isNaN(previous.getTime()) || previous.getTime() >= token.expiresAt.getTime()) return undefined;
  const wasInside = stored.alertedThresholds.length > 0 && !stored.expiredAlerted;
  return wasInside && previous.getTime() > now.getTime() ? previous : undefined;
}

/** An invalid registration: reported once per revision, then weekly, critical from the first reminder. */
export function decideInvalid(
  bad: InvalidRegistration,
  stored: TokenState,
  now: Date,
): { readonly reminder: number; readonly state: TokenState } | undefined {
  const known = stored.invalid?.revision === bad.revision ? stored.invalid : undefined;
  if (!known) {
    return {
      reminder: 0,
      state: { ...stored, invalid: { revision: bad.revision, since: now.toISOString(), reminded: 0 } },
    };
  }
  const due = remindersDue(new Date(known.since).getTime(), now);
  if (due <= known.reminded) return undefined;
  return { reminder: due, state: { ...stored, invalid: { ...known, reminded: due } } };
}

/** The next alert a token gets if nothing changes (shown in its alert): a threshold, a daily reminder, or expiry. */
export function nextAlert(
  token: Token,
  days: number,
  alerted: readonly number[],
  ladder: Ladder,
): { readonly threshold: number; readonly date: Date } | { readonly expired: Date } {
  const later = ladder.thresholdsDays.filter((t) => t < days && !alerted.includes(t));
  const tomorrow = days - 1;
  const candidates = [...later, ...(isReminderDay(tomorrow, ladder) ? [tomorrow] : [])];
  if (candidates.length === 0) return { expired: token.expiresAt };
  const threshold = Math.max(...candidates);
  return { threshold, date: addDays(token.expiresAt, -threshold) };
}
