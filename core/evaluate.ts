/**
 * The monitor's decisions: which alerts are due, and what state to remember. Pure and
 * clock-free: the same inputs always give the same plan, so runs can be replayed.
 */
import { type Alert, originFields } from './alert';
import { addDays, daysRemaining, isoDate, MS_PER_DAY } from './dates';
import { type Instance, matchInstance } from './instances';
import type { InvalidRegistration, Registration, Token } from './registration';
import { severityFor } from './severity';
import {
  EMPTY_TOKEN_STATE,
  MONITOR_STATE_KEY,
  type MonitorState,
  type StateWrite,
  type TokenState,
  tokenStateKey,
} from './state';

/** Reminders while a token stays expired or a registration stays invalid: weekly. */
export const REMINDER_DAYS = 7;
/** A SecureString rewritten this recently is checked against its previous lifecycle. */
export const REWRITE_LOOKBACK_DAYS = 8;
/** Whole reminder periods (weeks) from `since` to `now`: 0 in the first week. */
function remindersDue(since: number, now: Date): number {
  return Number.isNaN(since) ? 0 : Math.floor((now.getTime() - since) / (REMINDER_DAYS * MS_PER_DAY));
}

export type { StateWrite } from './state';

export interface EvaluationSettings {
  /** Alert thresholds in days before expiry, e.g. [60, 30, 7]. */
  readonly thresholdsDays: readonly number[];
  readonly registryPrefix: string;
  readonly region: string;
  readonly account?: string;
  readonly environmentName?: string;
}

export interface PlannedAlert {
  readonly alert: Alert;
  /**
   * The alert's identity in the delivery ledger: the same decision always gets the same key, so
   * overlapping or retried runs claim it once per channel.
   */
  readonly key: string;
  /** Written once the alert is delivered on every channel, never before. */
  readonly write: StateWrite;
  /** More states written with it (a digest's grouped alerts). */
  readonly also?: readonly StateWrite[];
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
  /** Valid tokens registered but left out of `registrations` (nothing can be due for them). */
  readonly quietTokens?: number;
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
    const { name, parameterName, version, revision } = r.token;
    return {
      valid: false,
      invalid: {
        name,
        parameterName,
        version,
        revision,
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
  const { expiresAt, source, createdAt } = registration.token;
  // A SecureString written lately may be a re-applied value that moved its date: compare.
  const rewritten =
    source === 'secure-string' &&
    createdAt !== undefined &&
    now.getTime() - createdAt.getTime() <= REWRITE_LOOKBACK_DAYS * MS_PER_DAY;
  return (
    rewritten ||
    now.getTime() >= expiresAt.getTime() ||
    daysRemaining(expiresAt, now) <= Math.max(...thresholdsDays)
  );
}

/** The names of the state parameters a run must read: candidates' state and the monitor's own. */
export function stateToRead(
  registrations: readonly Registration[],
  now: Date,
  settings: Pick<EvaluationSettings, 'thresholdsDays'>,
): { readonly tokenNames: readonly string[]; readonly keys: readonly string[] } {
  const tokenNames = registrations
    .filter((r) => needsState(r, now, settings.thresholdsDays))
    .map((r) => (r.valid ? r.token.name : r.invalid.name));
  return { tokenNames, keys: [MONITOR_STATE_KEY, ...tokenNames.map(tokenStateKey)] };
}

type TokenDecision =
  | { readonly kind: 'none' }
  | { readonly kind: 'write'; readonly state: TokenState }
  | {
      readonly kind: 'alert';
      readonly state: TokenState;
      readonly alertType: 'expiry-warning' | 'expired';
      readonly threshold: number;
      /** For `expired`: 0 for the alert itself, then one more per weekly reminder. */
      readonly reminder: number;
    };

/**
 * One token's decision. A threshold fires once per lifecycle (identified by the expiry instant),
 * on the first run at or inside it; after missed runs only the most urgent crossed threshold
 * alerts, and the others are marked done. Once the expiry instant has passed: one `expired`
 * alert, then a reminder every week while the registration still shows the expired token.
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
  if (due.length === 0) {
    // A stored lifecycle that is over (a rotation): reset it, so its alerts are forgotten.
    const stale = stored.expiresAt !== undefined && stored.expiresAt !== lifecycle;
    return stale ? { kind: 'write', state: current } : { kind: 'none' };
  }
  const mostUrgent = Math.min(...due);
  const state = { ...current, alertedThresholds: [...current.alertedThresholds, ...due] };
  // A more urgent alert already went out (the thresholds were reconfigured): no step backwards.
  if (current.alertedThresholds.some((t) => t < mostUrgent)) return { kind: 'write', state };
  return { kind: 'alert', state, alertType: 'expiry-warning', threshold: mostUrgent, reminder: 0 };
}

/**
 * A SecureString is dated by its last write, so re-applying the same value (infrastructure code)
 * looks exactly like a rotation. When that happens while the previous lifecycle was already
 * inside a threshold and not yet over, say so: if it was not a rotation, the old expiry stands.
 */
function movedSecureString(token: Token, stored: TokenState, now: Date): Date | undefined {
  if (token.source !== 'secure-string' || stored.expiresAt === undefined) return undefined;
  const previous = new Date(stored.expiresAt);
  if (Number.isNaN(previous.getTime()) || previous.getTime() >= token.expiresAt.getTime()) return undefined;
  const wasInside = stored.alertedThresholds.length > 0 && !stored.expiredAlerted;
  return wasInside && previous.getTime() > now.getTime() ? previous : undefined;
}

/** An invalid registration: reported once per revision, then weekly, critical from the first reminder. */
function decideInvalid(
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
  const base = { evaluatedAt: now };
  const registrations = checkInstances(input.registrations, input.instances);
  const alerts: PlannedAlert[] = [];
  const writes: StateWrite[] = [];
  const tokens: Token[] = [];
  const evaluations: TokenEvaluation[] = [];
  const invalid: InvalidRegistration[] = [];
  const where = (instanceArn?: string) => {
    const { instance } = matchInstance(instanceArn, input.instances);
    return originFields({ ...settings, ...(instance ? { instance } : {}) });
  };

  for (const registration of registrations) {
    if (!registration.valid) {
      const bad = registration.invalid;
      invalid.push(bad);
      const stored = input.tokenStates.get(bad.name) ?? EMPTY_TOKEN_STATE;
      const decision = decideInvalid(bad, stored, now);
      if (!decision) continue;
      alerts.push({
        alert: {
          ...base,
          alertType: 'invalid-registration',
          // Still invalid a week later: nobody acted on the warning, so it escalates.
          severity: decision.reminder > 0 ? 'critical' : 'warning',
          tokenName: bad.name,
          parameterName: bad.parameterName,
          parameterVersion: bad.version,
          reason: bad.reason,
          ...(decision.reminder > 0 ? { reminder: decision.reminder } : {}),
          ...where(),
        },
        key: `${tokenStateKey(bad.name)}#invalid#${bad.revision}#${decision.reminder}`,
        write: { key: tokenStateKey(bad.name), state: decision.state },
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
    const key = tokenStateKey(token.name);
    const lifecycle = token.expiresAt.toISOString();
    evaluations.push(
      decision.kind === 'alert' ? { ...evaluation, alertType: decision.alertType } : evaluation,
    );
    const moved = movedSecureString(token, stored, now);
    if (moved) {
      alerts.push({
        alert: {
          ...base,
          alertType: 'token-date-moved',
          severity: 'warning',
          tokenName: token.name,
          parameterName: token.parameterName,
          parameterVersion: token.version,
          token,
          daysRemaining: days,
          previousExpiry: moved,
          reason: `The SecureString was rewritten: the monitor expected expiry on ${isoDate(moved)} and now expects ${isoDate(token.expiresAt)}. If the write re-applied the same token, the real expiry is still ${isoDate(moved)}: rotate it now.`,
          ...where(token.instanceArn),
        },
        key: `${key}#moved#${lifecycle}`,
        // The new lifecycle, nothing alerted in it yet: the decision below records its own.
        write: { key, state: { ...EMPTY_TOKEN_STATE, expiresAt: lifecycle } },
      });
    }
    if (decision.kind === 'none') continue;
    if (decision.kind === 'write') {
      writes.push({ key, state: decision.state });
      continue;
    }
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
        ...(expired ? {} : { daysRemaining: days }),
        threshold: decision.threshold,
        ...(decision.reminder > 0 ? { reminder: decision.reminder } : {}),
        ...(expired
          ? {}
          : { next: nextAlert(token, days, decision.state.alertedThresholds, settings.thresholdsDays) }),
        ...where(token.instanceArn),
      },
      key: `${key}#${lifecycle}#${expired ? `expired#${decision.reminder}` : decision.threshold}`,
      write: { key, state: decision.state },
    });
  }

  const monitor = input.monitorState;
  const registered = registrations.length + (input.quietTokens ?? 0);
  if (registered === 0 && !monitor.noTokensAlerted) {
    alerts.push({
      alert: { ...base, alertType: 'no-tokens', severity: 'warning', ...where() },
      key: `${MONITOR_STATE_KEY}#no-tokens#${monitor.episode}`,
      write: { key: MONITOR_STATE_KEY, state: { noTokensAlerted: true, episode: monitor.episode } },
    });
  } else if (registered > 0 && monitor.noTokensAlerted) {
    writes.push({ key: MONITOR_STATE_KEY, state: { noTokensAlerted: false, episode: monitor.episode + 1 } });
  }

  return { alerts, evaluations, writes, tokens, invalid };
}
