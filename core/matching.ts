/**
 * Which registered token an expiry AWS Health announced is: shared by the reconciliation of a
 * notice (health.ts) and by adopted tokens stepping aside for a registration (adoption.ts). Pure.
 */
import { isoDate } from './dates';
import type { Token } from './registration';

/** A registration dated in another time zone may be this many hours off AWS's instant. */
export const MATCH_SLACK_HOURS = 12;

/**
 * A registered token matches when its expiry falls on the announced UTC calendar day, or within
 * `MATCH_SLACK_HOURS` of the announced instant (a date registered in another time zone); the
 * nearest wins. A token a whole day off does not match: it may be another token, and matching it
 * would hide the announced one as if it were watched.
 */
export function matchingToken(expiresAt: Date, tokens: readonly Token[]): Token | undefined {
  const day = isoDate(expiresAt);
  return tokens
    .map((t) => ({ t, gap: Math.abs(t.expiresAt.getTime() - expiresAt.getTime()) }))
    .filter((x) => isoDate(x.t.expiresAt) === day || x.gap <= MATCH_SLACK_HOURS * 3_600_000)
    .sort((a, b) => a.gap - b.gap)[0]?.t;
}
