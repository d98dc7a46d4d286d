/**
 * The opt-in daily probe, run after the alerts went out so it can never hold them back: for each
 * token kept as a SecureString and listed in `verifyStoredTokens`, decrypt it, ask the SCIM
 * endpoint whether it still accepts it, and let the core decide whether to alert. A few probes run
 * at once, each with a timeout, all within a total time budget; a probe the budget leaves out, or
 * that gets no clear answer, counts as inconclusive. The value is held only for the request; it is
 * never logged or returned.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { parseScimEndpoint, probeScimToken, type ScimEndpoint } from '../../adapters/scim';
import { readSecureValue } from '../../adapters/ssm';
import type { PlannedAlert, RunPlan, StateWrite } from '../../core/evaluate';
import { inParallel } from '../../core/parallel';
import { decideProbe, type ProbeOutcome } from '../../core/probe';
import { parseProbeState, probeStateKey } from '../../core/state';
import type { MonitorConfig } from './config';
import { type MonitorSources, originOf } from './run';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

/** Probes in flight at once. */
export const PROBE_CONCURRENCY = 4;
/** One probe waits at most this long for the endpoint. */
export const PROBE_TIMEOUT_MS = 10_000;

export interface ProbeRun {
  readonly alerts: readonly PlannedAlert[];
  readonly writes: readonly StateWrite[];
  /** Tokens whose check said neither yes nor no (endpoint unreachable, odd answer, no time left). */
  readonly inconclusive: number;
}

export async function probeStoredTokens(
  config: MonitorConfig,
  plan: Pick<RunPlan, 'tokens'>,
  now: Date,
  log: Log,
  sources: Pick<MonitorSources, 'readStates'>,
  budgetMs: number,
): Promise<ProbeRun> {
  if (config.verifyTokens.length === 0 || !config.scimEndpoint)
    return { alerts: [], writes: [], inconclusive: 0 };
  const wanted = new Set(config.verifyTokens);
  const tokens = plan.tokens.filter((t) => wanted.has(t.name) && t.source === 'secure-string');
  let endpoint: ScimEndpoint;
  try {
    endpoint = parseScimEndpoint(config.scimEndpoint);
  } catch (error) {
    // Synth refuses such an endpoint, so the environment was edited by hand: no token is read or
    // sent, and the checks count as inconclusive (which alerts after a few days).
    log.error("SCIM_ENDPOINT is not IAM Identity Center's SCIM endpoint: no token probed", {
      reason: (error as Error).message,
    });
    return { alerts: [], writes: [], inconclusive: tokens.length };
  }
  if (endpoint.region !== config.region) {
    log.warn(
      "the SCIM endpoint is in another region than the monitor: SCIM works only in the IAM Identity Center instance's primary region",
      { endpointRegion: endpoint.region, monitorRegion: config.region },
    );
  }
  for (const name of wanted) {
    if (!tokens.some((t) => t.name === name)) {
      log.warn('token listed in verifyStoredTokens is not a registered SecureString: not probed', {
        tokenName: name,
      });
    }
  }
  const states = await sources.readStates(tokens.map((t) => probeStateKey(t.name)));
  const deadline = Date.now() + budgetMs;
  const outcomes = await inParallel(tokens, PROBE_CONCURRENCY, async (token): Promise<ProbeOutcome> => {
    const left = deadline - Date.now();
    if (left <= 0) {
      log.warn('stored token not probed: the run has no time left for it', { tokenName: token.name });
      return 'inconclusive';
    }
    try {
      const result = await probeScimToken(
        endpoint,
        await readSecureValue(token.parameterName),
        Math.min(PROBE_TIMEOUT_MS, left),
      );
      log.info('stored token probed', {
        tokenName: token.name,
        outcome: result.outcome,
        status: result.status,
      });
      return result.outcome === 'accepted' || result.outcome === 'rejected' ? result.outcome : 'inconclusive';
    } catch (error) {
      log.warn('stored token probe failed', { tokenName: token.name, error: (error as Error).name });
      return 'inconclusive';
    }
  });
  const alerts: PlannedAlert[] = [];
  const writes: StateWrite[] = [];
  tokens.forEach((token, i) => {
    const decision = decideProbe(
      token,
      outcomes[i] as ProbeOutcome,
      parseProbeState(states.get(probeStateKey(token.name))),
      now,
      originOf(config),
    );
    if (decision.alert && decision.write) alerts.push({ ...decision.alert, write: decision.write });
    else if (decision.write) writes.push(decision.write);
  });
  return { alerts, writes, inconclusive: outcomes.filter((o) => o === 'inconclusive').length };
}
