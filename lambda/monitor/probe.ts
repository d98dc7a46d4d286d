/**
 * The opt-in daily probe: for each token kept as a SecureString and listed in `verifyStoredTokens`,
 * decrypt it, ask the SCIM endpoint whether it still accepts it, and let the core decide whether
 * to alert. The value is held only for the request; it is never logged or returned.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { probeScimToken, scimEndpoint } from '../aws/scim';
import { readSecureValue, readValues } from '../aws/ssm';
import type { PlannedAlert, RunPlan, StateWrite } from '../core/evaluate';
import { decideProbe, parseProbeState, probeStateName } from '../core/probe';
import type { MonitorConfig } from './config';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface ProbeRun {
  readonly alerts: readonly PlannedAlert[];
  readonly writes: readonly StateWrite[];
  /** Tokens whose check said neither yes nor no (endpoint unreachable, unexpected answer). */
  readonly inconclusive: number;
}

export async function probeStoredTokens(
  config: MonitorConfig,
  plan: RunPlan,
  now: Date,
  log: Log,
): Promise<ProbeRun> {
  if (config.verifyTokens.length === 0 || !config.scimEndpoint)
    return { alerts: [], writes: [], inconclusive: 0 };
  const endpoint = scimEndpoint(config.scimEndpoint);
  const wanted = new Set(config.verifyTokens);
  const tokens = plan.tokens.filter((t) => wanted.has(t.name) && t.source === 'secure-string');
  for (const name of wanted) {
    if (!tokens.some((t) => t.name === name)) {
      log.warn('token listed in verifyStoredTokens is not a registered SecureString: not probed', {
        tokenName: name,
      });
    }
  }
  const states = await readValues(tokens.map((t) => probeStateName(config.statePrefix, t.name)));
  const alerts: PlannedAlert[] = [];
  const writes: StateWrite[] = [];
  let inconclusive = 0;
  for (const token of tokens) {
    let outcome: string;
    try {
      const result = await probeScimToken(endpoint, await readSecureValue(token.parameterName));
      outcome = result.outcome;
      log.info('stored token probed', {
        tokenName: token.name,
        outcome: result.outcome,
        status: result.status,
      });
    } catch (error) {
      outcome = 'error';
      log.warn('stored token probe failed', { tokenName: token.name, error: (error as Error).name });
    }
    if (outcome !== 'accepted' && outcome !== 'rejected') {
      inconclusive += 1;
      continue;
    }
    const decision = decideProbe(
      token,
      outcome,
      parseProbeState(states.get(probeStateName(config.statePrefix, token.name))),
      now,
      {
        statePrefix: config.statePrefix,
        region: config.region,
        registryPrefix: config.registryPrefix,
        ...(config.account ? { account: config.account } : {}),
      },
    );
    if (decision.alert && decision.write) alerts.push({ alert: decision.alert, write: decision.write });
    else if (decision.write) writes.push(decision.write);
  }
  return { alerts, writes, inconclusive };
}
