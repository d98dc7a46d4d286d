/**
 * The severity ladder, for people who sleep: which alert of a token's lifecycle is information, a
 * warning for working hours, or a page. By default 60 days `info`, 30 and 7 `warning`, a daily
 * `warning` reminder from the last threshold until expiry, and `critical` (a page) only on the
 * final day and once provisioning is broken (expired, still expired, a rejected token). Pure.
 */
import { DEFAULTS } from './contract';

export type Severity = 'info' | 'warning' | 'critical';

/** What decides a token's alerts: when they come, and which of them page. */
export interface Ladder {
  /** Days before expiry at which a token alerts, e.g. [60, 30, 7]. */
  readonly thresholdsDays: readonly number[];
  /** Alerts with this many days or fewer left are `critical` (they page). */
  readonly pageWithinDays: number;
  /** A reminder every day with fewer days left than this, until expiry; 0: none. */
  readonly dailyRemindersWithinDays: number;
}

/** The ladder from settings, each absent part at its default. */
export function ladderOf(settings: {
  readonly thresholdsDays: readonly number[];
  readonly pageWithinDays?: number;
  readonly dailyRemindersWithinDays?: number;
}): Ladder {
  return {
    thresholdsDays: settings.thresholdsDays,
    pageWithinDays: settings.pageWithinDays ?? DEFAULTS.pageWithinDays,
    dailyRemindersWithinDays: settings.dailyRemindersWithinDays ?? Math.min(...settings.thresholdsDays),
  };
}

/**
 * A token alert's severity, by the days left when it is sent: `critical` within the page window,
 * `info` for a threshold more than 30 days out, `warning` otherwise.
 */
export function severityFor(daysRemaining: number, threshold: number, ladder: Ladder): Severity {
  if (daysRemaining <= ladder.pageWithinDays) return 'critical';
  return threshold > 30 ? 'info' : 'warning';
}

/** A day (by days left) that gets a daily reminder when no threshold falls on it. */
export function isReminderDay(daysRemaining: number, ladder: Ladder): boolean {
  return daysRemaining >= 1 && daysRemaining < ladder.dailyRemindersWithinDays;
}

/** How far ahead of expiry anything can be due: no token further out needs its state read. */
export function horizonDays(ladder: Ladder): number {
  return Math.max(...ladder.thresholdsDays, ladder.dailyRemindersWithinDays - 1);
}

/** Whether an alert can wait for working hours: only a page cannot. */
export function canWait(severity: Severity): boolean {
  return severity !== 'critical';
}
