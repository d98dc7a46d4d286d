/**
 * The monitor's decisions: which alerts are due, and what state to remember. Pure and
 * clock-free: the same inputs always give the same plan, so runs can be replayed.
 */
import type { Alert } from './alert';
import { addDays, daysRemaining } from './dates';
import { consoleUrl, type Instance, matchInstance } from './instances';
import type { InvalidRegistration, Registration, Token } from './registration';
import { severityFor } from './severity';
import {
  EMPTY_TOKEN_STATE,
  type MonitorState,
  monitorStateName,
  type StateWrite,
  sameTokenState,
  type TokenState,
  tokenStateName,
} from './state';

export type { StateWrite } from './state';

export interface EvaluationSettings {
  /** Alert thresholds in days before expiry, e.g. [60, 30, 7]. */
  readonly thresholdsDays: readonly number[];
  readonly registryPrefix: string;
  readonly statePrefix: string;
  readonly region: string;
  readonly account?: string;
}

export interface PlannedAlert {
  readonly alert: Alert;
  /** Written after the alert is published, never before: a crash repeats an alert, never loses one. */
  readonly write: StateWrite;
}

/** Where one valid token stands this run: what the logs and metrics report. */
export interface TokenEvaluation {
  readonly name: string;
  readonly expiresAt: Date;
  readonly daysRemaining: number;
  /** The alert decided for it this run, if any. */
  readonly alertType?: 'expiry-warning' | 'expired';
}

export interface RunPlan {
  readonly alerts: readonly PlannedAlert[];
  readonly evaluations: readonly TokenEvaluation[];
  /** State changes with no alert (a threshold passed over, a reset flag). */
  readonly writes: readonly StateWrite[];
  readonly tokens: readonly Token[];
  readonly invalid: readonly InvalidRegistration[];
}

export interface RunInput {
  readonly registrations: readonly Registration[];
  /** Stored state by token name; a token without an entry has none. */
  readonly tokenStates: ReadonlyMap<string, TokenState>;
  readonly monitorState: MonitorState;
  /** `undefined` when ListInstances could not be called: instance checks are then skipped. */
  readonly instances: readonly Instance[] | undefined;
  readonly settings: EvaluationSettings;
  readonly now: Date;
}

/**
 * Registrations naming an IAM Identity Center instance that does not exist here become invalid.
 * Unknown instances (`undefined`) check nothing.
 */
export function checkInstances(
  registrations: readonly Registration[],
  instances: readonly Instance[] | undefined,
): Registration[] {
  return registrations.map((r) => {
    if (!r.valid || !matchInstance(r.token.instanceArn, instances).mismatch) return r;
    const { name, parameterName, version } = r.token;
    return {
      valid: false,
      invalid: {
        name,
        parameterName,
        version,
        reason: `instanceArn ${r.token.instanceArn} matches no IAM Identity Center instance in this account and region`,
      },
    };
  });
}

/** True when an alert could be due for this token, so its stored state must be read. */
export function needsState(
  registration: Registration,
  now: Date,
  thresholdsDays: readonly number[],
): boolean {
  if (!registration.valid) return true;
  const { expiresAt } = registration.token;
  return now.getTime() >= expiresAt.getTime() || daysRemaining(expiresAt, now) <= Math.max(...thresholdsDays);
}

/** The names of the state parameters a run must read: candidates' state and the monitor's own. */
export function stateToRead(
  registrations: readonly Registration[],
  now: Date,
  settings: Pick<EvaluationSettings, 'statePrefix' | 'thresholdsDays'>,
): { readonly tokenNames: readonly string[]; readonly parameterNames: readonly string[] } {
  const tokenNames = registrations
    .filter((r) => needsState(r, now, settings.thresholdsDays))
    .map((r) => (r.valid ? r.token.name : r.invalid.name));
  return {
    tokenNames,
    parameterNames: [
      monitorStateName(settings.statePrefix),
      ...tokenNames.map((n) => tokenStateName(settings.statePrefix, n)),
    ],
  };
}

type TokenDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'write'; readonly state: TokenState }
  | {
      readonly kind: 'alert';
      readonly state: TokenState;
      readonly alertType: 'expiry-warning' | 'expired';
      readonly threshold: number;
    };

/**
 * One token's decision. A threshold fires once per lifecycle (identified by the expiry instant),
 * on the first run at or inside it; after missed runs only the most urgent crossed threshold
 * alerts, and the others are marked done. Once the expiry instant has passed: one `expired` alert.
 */
export function decideToken(
  token: Token,
  stored: TokenState,
  now: Date,
  thresholdsDays: readonly number[],
): TokenDecision {
  const lifecycle = token.expiresAt.toISOString();
  const current: TokenState =
    stored.expiresAt === lifecycle
      ? stored
      : { ...EMPTY_TOKEN_STATE, expiresAt: lifecycle, ...pickInvalidVersion(stored) };

  if (now.getTime() >= token.expiresAt.getTime()) {
    if (current.expiredAlerted) return { kind: 'none' };
    const state = { ...current, alertedThresholds: [...thresholdsDays], expiredAlerted: true };
    return { kind: 'alert', state, alertType: 'expired', threshold: 0 };
  }

  const days = daysRemaining(token.expiresAt, now);
  const due = thresholdsDays.filter((t) => days <= t && !current.alertedThresholds.includes(t));
  if (due.length === 0) return { kind: 'none' };
  const mostUrgent = Math.min(...due);
  const state = { ...current, alertedThresholds: [...current.alertedThresholds, ...due] };
  // A more urgent alert already went out (the thresholds were reconfigured): no step backwards.
  if (current.alertedThresholds.some((t) => t < mostUrgent)) return { kind: 'write', state };
  return { kind: 'alert', state, alertType: 'expiry-warning', threshold: mostUrgent };
}

function pickInvalidVersion(state: TokenState): Pick<TokenState, 'invalidVersion'> {
  return state.invalidVersion === undefined ? {} : { invalidVersion: state.invalidVersion };
}

function nextAlert(
  token: Token,
  days: number,
  alerted: readonly number[],
  thresholdsDays: readonly number[],
) {
  const later = thresholdsDays.filter((t) => t < days && !alerted.includes(t));
  if (later.length === 0) return { expired: token.expiresAt };
  const threshold = Math.max(...later);
  return { threshold, date: addDays(token.expiresAt, -threshold) };
}

/** The whole run: every registration, the no-tokens warning, and the state to write. */
export function planRun(input: RunInput): RunPlan {
  const { settings, now } = input;
  const base = {
    evaluatedAt: now,
    region: settings.region,
    registryPrefix: settings.registryPrefix,
    ...(settings.account ? { account: settings.account } : {}),
  };
  const registrations = checkInstances(input.registrations, input.instances);
  const alerts: PlannedAlert[] = [];
  const writes: StateWrite[] = [];
  const tokens: Token[] = [];
  const evaluations: TokenEvaluation[] = [];
  const invalid: InvalidRegistration[] = [];

  for (const registration of registrations) {
    if (!registration.valid) {
      const bad = registration.invalid;
      invalid.push(bad);
      const stored = input.tokenStates.get(bad.name) ?? EMPTY_TOKEN_STATE;
      if (stored.invalidVersion === bad.version) continue;
      const { instance } = matchInstance(undefined, input.instances);
      alerts.push({
        alert: {
          ...base,
          alertType: 'invalid-registration',
          severity: 'warning',
          tokenName: bad.name,
          parameterName: bad.parameterName,
          parameterVersion: bad.version,
          reason: bad.reason,
          ...(instance ? { instance } : {}),
          consoleUrl: consoleUrl(settings.region, instance),
        },
        write: {
          parameterName: tokenStateName(settings.statePrefix, bad.name),
          state: { ...stored, invalidVersion: bad.version },
        },
      });
      continue;
    }

    const token = registration.token;
    tokens.push(token);
    const days = daysRemaining(token.expiresAt, now);
    const evaluation = { name: token.name, expiresAt: token.expiresAt, daysRemaining: days };
    if (!needsState(registration, now, settings.thresholdsDays)) {
      evaluations.push(evaluation);
      continue;
    }
    const stored = input.tokenStates.get(token.name) ?? EMPTY_TOKEN_STATE;
    const decision = decideToken(token, stored, now, settings.thresholdsDays);
    const parameterName = tokenStateName(settings.statePrefix, token.name);
    evaluations.push(
      decision.kind === 'alert' ? { ...evaluation, alertType: decision.alertType } : evaluation,
    );
    if (decision.kind === 'none') continue;
    if (decision.kind === 'write') {
      if (!sameTokenState(decision.state, stored)) writes.push({ parameterName, state: decision.state });
      continue;
    }
    const { instance } = matchInstance(token.instanceArn, input.instances);
    const expired = decision.alertType === 'expired';
    alerts.push({
      alert: {
        ...base,
        alertType: decision.alertType,
        severity: expired ? 'critical' : severityFor(decision.threshold, settings.thresholdsDays),
        tokenName: token.name,
        parameterName: token.parameterName,
        parameterVersion: token.version,
        token,
        daysRemaining: days,
        threshold: decision.threshold,
        ...(expired
          ? {}
          : { next: nextAlert(token, days, decision.state.alertedThresholds, settings.thresholdsDays) }),
        ...(instance ? { instance } : {}),
        consoleUrl: consoleUrl(settings.region, instance),
      },
      write: { parameterName, state: decision.state },
    });
  }

  const monitorParameter = monitorStateName(settings.statePrefix);
  if (registrations.length === 0 && !input.monitorState.noTokensAlerted) {
    const { instance } = matchInstance(undefined, input.instances);
    alerts.push({
      alert: {
        ...base,
        alertType: 'no-tokens',
        severity: 'warning',
        ...(instance ? { instance } : {}),
        consoleUrl: consoleUrl(settings.region, instance),
      },
      write: { parameterName: monitorParameter, state: { noTokensAlerted: true } },
    });
  } else if (registrations.length > 0 && input.monitorState.noTokensAlerted) {
    writes.push({ parameterName: monitorParameter, state: { noTokensAlerted: false } });
  }

  return { alerts, evaluations, writes, tokens, invalid };
}
