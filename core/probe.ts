/**
 * The daily check that a stored token still works: for tokens kept as SecureStrings and opted in,
 * the monitor asks the SCIM endpoint whether it accepts the token. A rejection alerts
 * (`token-rejected`, critical) once per registration revision, so a revoked or deleted token is
 * caught before users notice; a probe that gets no answer for `INCONCLUSIVE_ALERT_DAYS` alerts
 * once per spell (`probe-inconclusive`), so a check that never works does not pass for one that
 * passes. Pure: outcomes and `now` are arguments.
 */
import { type Alert, type AlertOrigin, originFields } from './alert';
import { MS_PER_DAY } from './dates';
import type { Token } from './registration';
import { type Commit, EMPTY_PROBE_STATE, type ProbeState, probeStateKey } from './state';

export type { ProbeState } from './state';

/** Days of inconclusive probes (no answer, 429, 5xx, budget spent) before it is an alert. */
export const INCONCLUSIVE_ALERT_DAYS = 3;

export type ProbeOutcome = 'accepted' | 'rejected' | 'inconclusive';

export type ProbeContext = AlertOrigin;

export interface ProbeDecision {
  readonly alert?: { readonly alert: Alert; readonly key: string };
  /** The new probe state, committed after the alert when there is one. */
  readonly commit?: Commit;
}

function alertFor(
  token: Token,
  now: Date,
  context: ProbeContext,
  alertType: 'token-rejected' | 'probe-inconclusive',
  reason: string,
): Alert {
  return {
    alertType,
    severity: alertType === 'token-rejected' ? 'critical' : 'warning',
    evaluatedAt: now,
    tokenName: token.name,
    parameterName: token.parameterName,
    parameterVersion: token.version,
    token,
    reason,
    ...originFields(context),
  };
}

export function decideProbe(
  token: Token,
  outcome: ProbeOutcome,
  state: ProbeState,
  now: Date,
  context: ProbeContext,
): ProbeDecision {
  const key = probeStateKey(token.name);
  /** A state change that announces nothing: recorded as it is, when it changes anything. */
  const quietly = (next: ProbeState): ProbeDecision =>
    JSON.stringify(next) === JSON.stringify(state)
      ? {}
      : { commit: { write: { key, state: next }, after: [] } };
  if (outcome === 'accepted') {
    // Accepted (again): forget rejections and silences, so a later one alerts again.
    return quietly(EMPTY_PROBE_STATE);
  }
  if (outcome === 'inconclusive') {
    const since = state.inconclusiveSince ?? now.toISOString();
    const next = { ...state, inconclusiveSince: since };
    const silentDays = (now.getTime() - new Date(since).getTime()) / MS_PER_DAY;
    if (silentDays < INCONCLUSIVE_ALERT_DAYS || state.inconclusiveAlerted === since) return quietly(next);
    const reason = `The daily check of the stored token has had no conclusive answer from IAM Identity Center since ${since.slice(0, 10)} (unreachable endpoint, throttling or server errors): the monitor cannot tell whether the token still works.`;
    const alertKey = `${key}#inconclusive#${since}`;
    return {
      alert: { alert: alertFor(token, now, context, 'probe-inconclusive', reason), key: alertKey },
      commit: { write: { key, state: { ...next, inconclusiveAlerted: since } }, after: [alertKey] },
    };
  }
  if (state.rejectedRevision === token.revision) return quietly({ ...state, inconclusiveSince: null });
  const reason =
    'IAM Identity Center rejected the stored token (HTTP 401/403): it was deleted, revoked or replaced, or the SCIM endpoint names another tenant.';
  const alertKey = `${key}#rejected#${token.revision}`;
  return {
    alert: { alert: alertFor(token, now, context, 'token-rejected', reason), key: alertKey },
    commit: {
      write: { key, state: { ...state, rejectedRevision: token.revision, inconclusiveSince: null } },
      after: [alertKey],
    },
  };
}
