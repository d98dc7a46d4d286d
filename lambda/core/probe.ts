/**
 * The daily check that a stored token still works: for tokens kept as SecureStrings and opted in,
 * the monitor asks the SCIM endpoint whether it accepts the token, and alerts (`token-rejected`,
 * critical) the first day it does not, once per parameter version, so a revoked or deleted token
 * is caught before users notice. Pure: outcomes and `now` are arguments.
 */
import type { Alert } from './alert';
import { consoleUrl, type Instance } from './instances';
import type { Token } from './registration';
import type { ProbeState, StateWrite } from './state';

export type { ProbeState } from './state';

export function probeStateName(statePrefix: string, tokenName: string): string {
  return `${statePrefix}probe/${tokenName}`;
}

export function parseProbeState(text: string | undefined): ProbeState {
  try {
    const v = text === undefined ? undefined : (JSON.parse(text) as Record<string, unknown>).rejectedVersion;
    return { rejectedVersion: Number.isInteger(v) ? (v as number) : null };
  } catch {
    return { rejectedVersion: null };
  }
}

export function decideProbe(
  token: Token,
  outcome: 'accepted' | 'rejected',
  state: ProbeState,
  now: Date,
  context: {
    statePrefix: string;
    region: string;
    account?: string;
    registryPrefix: string;
    instance?: Instance;
  },
): { alert?: Alert; write?: StateWrite } {
  const parameterName = probeStateName(context.statePrefix, token.name);
  if (outcome === 'accepted') {
    // Accepted again (e.g. a transient rejection): forget it, so a later rejection alerts again.
    return state.rejectedVersion === null
      ? {}
      : { write: { parameterName, state: { rejectedVersion: null } } };
  }
  if (state.rejectedVersion === token.version) return {};
  return {
    alert: {
      alertType: 'token-rejected',
      severity: 'critical',
      evaluatedAt: now,
      tokenName: token.name,
      parameterName: token.parameterName,
      parameterVersion: token.version,
      token,
      reason:
        'IAM Identity Center rejected the stored token (HTTP 401/403): it was deleted, revoked or replaced.',
      ...(context.instance ? { instance: context.instance } : {}),
      consoleUrl: consoleUrl(context.region, context.instance),
      region: context.region,
      ...(context.account ? { account: context.account } : {}),
      registryPrefix: context.registryPrefix,
    },
    write: { parameterName, state: { rejectedVersion: token.version } },
  };
}
