/**
 * The run's planner: given everything a run read (the registrations it kept, the adopted tokens,
 * the stored state, the instances, the topic's subscriptions), which alerts are due and which
 * state each one commits once delivered. Pure and clock-free: the same inputs always give the
 * same plan, so runs can be replayed, and a run that failed is recomputed exactly by the next.
 *
 * Invariant, by construction: every state change that an alert announces is a `Commit` whose
 * `after` names that alert, so it is written only once the alert is delivered on every channel
 * (functions/monitor/deliver.ts). Only changes that announce nothing have an empty `after`.
 */
import { type AdoptedIndex, inherited, withAdopted } from './adoption';
import { type Alert, type AlertOrigin, originFields } from './alert';
import { daysRemaining, isoDate, MS_PER_DAY } from './dates';
import { type Instance, matchInstance } from './instances';
import { decideInvalid, decideToken, movedSecureString, nextAlert, REWRITE_LOOKBACK_DAYS } from './lifecycle';
import { matchingToken } from './matching';
import type { InvalidRegistration, Registration, Token } from './registration';
import { horizonDays, type Ladder, ladderOf, severityFor } from './severity';
import {
  type Commit,
  MONITOR_STATE_KEY,
  type MonitorState,
  parseMonitorState,
  parseSubscribersState,
  parseTokenState,
  SUBSCRIBERS_STATE_KEY,
  type TokenState,
  tokenStateKey,
} from './state';
import { decideSubscribers, type SubscriberCount } from './subscribers';

export type { Commit, StateWrite } from './state';

export interface EvaluationSettings {
  /** Alert thresholds in days before expiry, e.g. [60, 30, 7]. */
  readonly thresholdsDays: readonly number[];
  /** See `Ladder` (severity.ts): absent parts take their defaults. */
  readonly pageWithinDays?: number;
  readonly dailyRemindersWithinDays?: number;
  /** The schedule's IANA time zone when not UTC: alerts add their instants in it. */
  readonly timeZone?: string;
  readonly registryPrefix: string;
  readonly region: string;
  readonly account?: string;
  readonly environmentName?: string;
}

export interface PlannedAlert {
  readonly alert: Alert;
  /**
   * The alert's identity in the delivery ledger: the same decision always gets the same key, so
   * overlapping, retried or later runs deliver it once per channel.
   */
  readonly key: string;
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
  /** What to record, each once the alerts it names are delivered. */
  readonly commits: readonly Commit[];
  readonly evaluations: readonly TokenEvaluation[];
  readonly tokens: readonly Token[];
  readonly invalid: readonly InvalidRegistration[];
  /** The monitor's own record as stored (whether a scheduled run happened here yet). */
  readonly monitor: MonitorState;
}

export interface RunInput {
  /** The registry's registrations the run kept (quiet ones are only counted). */
  readonly registrations: readonly Registration[];
  /** Tokens AWS Health announced that nobody registered (see adoption.ts). */
  readonly adopted: AdoptedIndex;
  /** Valid tokens registered but left out of `registrations` (nothing can be due for them). */
  readonly quietTokens?: number;
  /** The stored JSON of the records `prepareRun` named, by key; absent keys have none. */
  readonly states: ReadonlyMap<string, string>;
  /** `undefined` when ListInstances could not be called: instance checks are then skipped. */
  readonly instances: readonly Instance[] | undefined;
  /** The alert topic's subscriptions, when a scheduled run could count them. */
  readonly subscribers?: SubscriberCount;
  /** A scheduled run: it records that one happened (see MonitorState.scheduledRunSeen). */
  readonly scheduled?: boolean;
  readonly settings: EvaluationSettings;
  readonly now: Date;
}

/** Where alerts come from, from the settings (the instance is added per alert). */
export function originOf(settings: Omit<EvaluationSettings, 'thresholdsDays'>): AlertOrigin {
  return {
    region: settings.region,
    registryPrefix: settings.registryPrefix,
    ...(settings.account ? { account: settings.account } : {}),
    ...(settings.environmentName ? { environmentName: settings.environmentName } : {}),
    ...(settings.timeZone ? { timeZone: settings.timeZone } : {}),
  };
}

/**
 * Registrations naming an IAM Identity Center instance that does not exist here become invalid.
 * Unknown instances (`undefined`) check nothing, nor does a registration of another account.
 */
export function checkInstances(
  registrations: readonly Registration[],
  instances: readonly Instance[] | undefined,
  ownAccount?: string,
): Registration[] {
  return registrations.map((r) => {
    if (!r.valid || (r.token.account && r.token.account !== ownAccount)) return r;
    if (!matchInstance(r.token.instanceArn, instances).mismatch) return r;
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

/** True when an alert could be due for this registration, so its stored state must be read. */
export function needsState(registration: Registration, now: Date, ladder: Ladder): boolean {
  if (!registration.valid) return true;
  const { expiresAt, modifiedAt } = registration.token;
  // A registration written lately may be a rotation (to be said, and a pager incident resolved)
  // or a SecureString's re-applied value that moved its date: compare with the stored lifecycle.
  const rewritten =
    modifiedAt !== undefined && now.getTime() - modifiedAt.getTime() <= REWRITE_LOOKBACK_DAYS * MS_PER_DAY;
  return (
    rewritten || now.getTime() >= expiresAt.getTime() || daysRemaining(expiresAt, now) <= horizonDays(ladder)
  );
}

/** What decides whether a token read from the registry may be left out of the plan. */
export interface QuietContext {
  readonly now: Date;
  readonly ladder: Ladder;
  /** Tokens always planned (the probe's). */
  readonly keep: ReadonlySet<string>;
  readonly adopted: AdoptedIndex;
  readonly instances: readonly Instance[] | undefined;
  readonly ownAccount?: string;
}

/**
 * Quiet: valid, no alert can be due, not probed, not an expiry AWS Health announced (it may take
 * an adopted token over), and its instance (if it names one) found. Leaving it out of the plan
 * changes no decision (test/monitor/quiet.test.ts), so a run's memory stays flat.
 */
export function isQuiet(registration: Registration, ctx: QuietContext): boolean {
  if (!registration.valid || needsState(registration, ctx.now, ctx.ladder)) return false;
  const t = registration.token;
  if (ctx.keep.has(t.name)) return false;
  if (Object.values(ctx.adopted).some((a) => matchingToken(new Date(a.expiresAt), [t]))) return false;
  return checkInstances([registration], ctx.instances, ctx.ownAccount)[0]?.valid === true;
}

/** The registrations a run plans, the takeovers of adopted tokens, and the state keys to read. */
export interface PreparedRun {
  readonly registrations: readonly Registration[];
  /** Registered token name -> the adopted name it took over (its alert state carries over). */
  readonly takeovers: ReadonlyMap<string, string>;
  readonly keys: readonly string[];
}

/** Adds the adopted tokens, checks instances, and names the state worth reading (candidates only). */
export function prepareRun(
  kept: readonly Registration[],
  adopted: AdoptedIndex,
  instances: readonly Instance[] | undefined,
  now: Date,
  settings: Pick<
    EvaluationSettings,
    'thresholdsDays' | 'pageWithinDays' | 'dailyRemindersWithinDays' | 'account'
  >,
): PreparedRun {
  const ladder = ladderOf(settings);
  const { registrations, takeovers } = withAdopted(kept, adopted, now);
  const checked = checkInstances(registrations, instances, settings.account);
  const names = checked
    .filter((r) => needsState(r, now, ladder))
    .map((r) => (r.valid ? r.token.name : r.invalid.name));
  const handed = names.flatMap((n) => {
    const a = takeovers.get(n);
    return a ? [tokenStateKey(a)] : [];
  });
  return {
    registrations: checked,
    takeovers,
    keys: [MONITOR_STATE_KEY, SUBSCRIBERS_STATE_KEY, ...names.map(tokenStateKey), ...handed],
  };
}

/** The whole run: every registration, the no-tokens warning, the subscribers, and what to record. */
export function planRun(input: RunInput): RunPlan {
  const { settings, now } = input;
  const ladder = ladderOf(settings);
  const prepared = prepareRun(input.registrations, input.adopted, input.instances, now, settings);
  const stored = (name: string): TokenState => {
    const own = parseTokenState(input.states.get(tokenStateKey(name)));
    const adopted = prepared.takeovers.get(name);
    if (!adopted) return own;
    const registration = prepared.registrations.find((r) => r.valid && r.token.name === name);
    if (!registration?.valid) return own;
    // A registration that took over an adopted token starts from the adopted token's state.
    const from = parseTokenState(input.states.get(tokenStateKey(adopted)));
    return inherited(own, from, registration.token.expiresAt);
  };
  const alerts: PlannedAlert[] = [];
  const commits: Commit[] = [];
  const tokens: Token[] = [];
  const evaluations: TokenEvaluation[] = [];
  const invalid: InvalidRegistration[] = [];
  const origin = originOf(settings);
  const where = (instanceArn?: string) => {
    const { instance } = matchInstance(instanceArn, input.instances);
    return originFields({ ...origin, ...(instance ? { instance } : {}) });
  };
  const base = { evaluatedAt: now };

  for (const registration of prepared.registrations) {
    if (!registration.valid) {
      const bad = registration.invalid;
      invalid.push(bad);
      const decision = decideInvalid(bad, stored(bad.name), now);
      if (!decision) continue;
      const key = `${tokenStateKey(bad.name)}#invalid#${bad.revision}#${decision.reminder}`;
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
        key,
      });
      commits.push({ write: { key: tokenStateKey(bad.name), state: decision.state }, after: [key] });
      continue;
    }

    const token = registration.token;
    tokens.push(token);
    const days = daysRemaining(token.expiresAt, now);
    const evaluation = { name: token.name, expiresAt: token.expiresAt, daysRemaining: days };
    if (!needsState(registration, now, ladder)) {
      evaluations.push(evaluation);
      continue;
    }
    const state = stored(token.name);
    const decision = decideToken(token, state, now, ladder);
    const recordKey = tokenStateKey(token.name);
    const lifecycle = token.expiresAt.toISOString();
    evaluations.push(
      decision.kind === 'alert' ? { ...evaluation, alertType: decision.alertType } : evaluation,
    );
    // Every alert of this token in this run: its new state is committed only after all of them.
    const announced: string[] = [];
    const moved = movedSecureString(token, state, now);
    if (moved) {
      const key = `${recordKey}#moved#${lifecycle}`;
      announced.push(key);
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
        key,
      });
    }
    // A new lifecycle after one that alerted: the token was rotated (or re-registered). Say so,
    // once: it closes what its alerts opened (a pager incident resolves on it). Not for a
    // SecureString whose date merely moved: that may be the old token re-applied.
    const previous = state.expiresAt === undefined ? undefined : new Date(state.expiresAt);
    const alerted = state.alertedThresholds.length > 0 || state.expiredAlerted;
    if (previous && state.expiresAt !== lifecycle && alerted && !moved && !Number.isNaN(previous.getTime())) {
      const key = `${recordKey}#rotated#${state.expiresAt}`;
      announced.push(key);
      alerts.push({
        alert: {
          ...base,
          alertType: 'token-rotated',
          severity: 'info',
          tokenName: token.name,
          parameterName: token.parameterName,
          parameterVersion: token.version,
          token,
          daysRemaining: days,
          threshold: 0,
          previousExpiry: previous,
          ...where(token.instanceArn),
        },
        key,
      });
    }
    // (A moved date always comes with a decision: the stored lifecycle is over, so it is reset.)
    if (decision.kind === 'none') continue;
    if (decision.kind === 'alert') {
      const expired = decision.alertType === 'expired';
      const daily = !expired && decision.reminder > 0;
      const key = `${recordKey}#${lifecycle}#${expired ? `expired#${decision.reminder}` : daily ? `daily#${days}` : decision.threshold}`;
      announced.push(key);
      alerts.push({
        alert: {
          ...base,
          alertType: decision.alertType,
          severity: expired ? 'critical' : severityFor(days, decision.threshold, ladder),
          tokenName: token.name,
          parameterName: token.parameterName,
          parameterVersion: token.version,
          token,
          // Expired: 0 on the day, negative after (what numeric filter policies compare).
          daysRemaining: days,
          threshold: decision.threshold,
          ...(decision.reminder > 0 ? { reminder: decision.reminder } : {}),
          ...(expired ? {} : { next: nextAlert(token, days, decision.state.alertedThresholds, ladder) }),
          ...where(token.instanceArn),
        },
        key,
      });
    }
    commits.push({ write: { key: recordKey, state: decision.state }, after: announced });
  }

  const monitor = parseMonitorState(input.states.get(MONITOR_STATE_KEY));
  const registered = prepared.registrations.length + (input.quietTokens ?? 0);
  let next: MonitorState = monitor;
  const announced: string[] = [];
  if (registered === 0 && !monitor.noTokensAlerted) {
    const key = `${MONITOR_STATE_KEY}#no-tokens#${monitor.episode}`;
    alerts.push({ alert: { ...base, alertType: 'no-tokens', severity: 'warning', ...where() }, key });
    announced.push(key);
    next = { ...next, noTokensAlerted: true };
  } else if (registered > 0 && monitor.noTokensAlerted) {
    next = { ...next, noTokensAlerted: false, episode: monitor.episode + 1 };
  }
  if (input.scheduled && !monitor.scheduledRunSeen) next = { ...next, scheduledRunSeen: true };
  if (next !== monitor) commits.push({ write: { key: MONITOR_STATE_KEY, state: next }, after: announced });

  const subscribers = decideSubscribers(
    input.subscribers,
    parseSubscribersState(input.states.get(SUBSCRIBERS_STATE_KEY)),
    now,
    where(),
  );
  if (subscribers.alert) alerts.push(subscribers.alert);
  if (subscribers.commit) commits.push(subscribers.commit);

  return { alerts, commits, evaluations, tokens, invalid, monitor };
}
