/**
 * The opt-in daily probe, run after the alerts went out so it can never hold them back: for each
 * token kept as a SecureString and listed in `verifyStoredTokens`, ask the checker (which reads the
 * token and asks the SCIM endpoint) whether it still works, and let the core decide whether to
 * alert. A few probes run at once, each with a timeout, all within a time budget measured when the
 * probe starts; a probe the budget leaves out, or that gets no clear answer, counts as
 * inconclusive. The token's value never reaches this module.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { inParallel } from '../../core/parallel';
import { type Commit, originOf, type PlannedAlert, type RunPlan } from '../../core/plan';
import type { MonitorSources, TokenChecker } from '../../core/ports';
import { decideProbe, type ProbeOutcome } from '../../core/probe';
import { parseProbeState, probeStateKey } from '../../core/state';
import type { MonitorConfig } from './config';
import { settingsOf } from './read';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

/** Probes in flight at once. */
export const PROBE_CONCURRENCY = 4;
/** One probe waits at most this long for the endpoint. */
export const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeRun {
  readonly alerts: readonly PlannedAlert[];
  readonly commits: readonly Commit[];
  /** Tokens whose check said neither yes nor no (endpoint unreachable, odd answer, no time left). */
  readonly inconclusive: number;
}

export const NO_PROBE: ProbeRun = { alerts: [], commits: [], inconclusive: 0 };

export async function probeStoredTokens(
  config: MonitorConfig,
  plan: Pick<RunPlan, 'tokens'>,
  now: Date,
  log: Log,
  sources: Pick<MonitorSources, 'readStates'>,
  checker: TokenChecker | undefined,
  budgetMs: number,
  clock: () => number = Date.now,
): Promise<ProbeRun> {
  if (config.verifyTokens.length === 0) return NO_PROBE;
  const wanted = new Set(config.verifyTokens);
  const tokens = plan.tokens.filter((t) => wanted.has(t.name) && t.source === 'secure-string');
  for (const name of wanted) {
    if (!tokens.some((t) => t.name === name)) {
      log.warn('token listed in verifyStoredTokens is not a registered SecureString: not probed', {
        tokenName: name,
      });
    }
  }
  // No checker: the endpoint was refused (see the handler): every check is inconclusive.
  if (!checker) return { ...NO_PROBE, inconclusive: tokens.length };
  const states = await sources.readStates(tokens.map((t) => probeStateKey(t.name)));
  const deadline = clock() + budgetMs;
  const outcomes = await inParallel(tokens, PROBE_CONCURRENCY, async (token): Promise<ProbeOutcome> => {
    const left = deadline - clock();
    if (left <= 0) {
      log.warn('stored token not probed: the run has no time left for it', { tokenName: token.name });
      return 'inconclusive';
    }
    try {
      const result = await checker.check(token.parameterName, Math.min(PROBE_TIMEOUT_MS, left));
      log.info('stored token probed', {
        tokenName: token.name,
        outcome: result.outcome,
        status: result.status,
      });
      return result.outcome;
    } catch (error) {
      log.warn('stored token probe failed', { tokenName: token.name, error: (error as Error).name });
      return 'inconclusive';
    }
  });
  const alerts: PlannedAlert[] = [];
  const commits: Commit[] = [];
  tokens.forEach((token, i) => {
    const decision = decideProbe(
      token,
      outcomes[i] as ProbeOutcome,
      parseProbeState(states.get(probeStateKey(token.name))),
      now,
      originOf(settingsOf(config)),
    );
    if (decision.alert) alerts.push(decision.alert);
    if (decision.commit) commits.push(decision.commit);
  });
  return { alerts, commits, inconclusive: outcomes.filter((o) => o === 'inconclusive').length };
}
