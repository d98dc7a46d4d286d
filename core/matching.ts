/**
 * Which registered token an expiry AWS Health announced is: shared by the reconciliation of a
 * notice (health.ts) and by adopted tokens stepping aside for a registration (adoption.ts). Pure.
 */
import { isoDate } from './dates';
import type { Token } from './registration';

/** A registration dated in another time zone may be this many hours off AWS's instant. */
export const MATCH_SLACK_HOURS = 12;

/** Where AWS Health says the announced token lives, as far as the notice tells. */
export interface NoticeScope {
  /** The account the notice is about (the instance's owner). */
  readonly account?: string;
  /** The instance, when the notice names it among its affected entities. */
  readonly instanceArn?: string;
}

/**
 * A registration can be the announced token only where nothing says otherwise: the same account
 * (when both name one) and the same instance (when both name one).
 */
function inScope(token: Token, scope: NoticeScope): boolean {
  const account = !token.account || !scope.account || token.account === scope.account;
  const instance = !token.instanceArn || !scope.instanceArn || token.instanceArn === scope.instanceArn;
  return account && instance;
}

/**
 * A registered token matches when it is in the notice's scope and its expiry falls on the
 * announced UTC calendar day, or within `MATCH_SLACK_HOURS` of the announced instant (a date
 * registered in another time zone); the nearest wins. A token a whole day off does not match: it
 * may be another token, and matching it would hide the announced one as if it were watched.
 */
export function matchingToken(
  expiresAt: Date,
  tokens: readonly Token[],
  scope: NoticeScope = {},
): Token | undefined {
  const day = isoDate(expiresAt);
  return tokens
    .filter((t) => inScope(t, scope))
    .map((t) => ({ t, gap: Math.abs(t.expiresAt.getTime() - expiresAt.getTime()) }))
    .filter((x) => isoDate(x.t.expiresAt) === day || x.gap <= MATCH_SLACK_HOURS * 3_600_000)
    .sort((a, b) => a.gap - b.gap)[0]?.t;
}
