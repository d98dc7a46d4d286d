/**
 * Alert state: what has already been decided and sent, one record per token (and one for the
 * monitor, per AWS Health expiry date, per probed token), kept in the monitor's DynamoDB ledger,
 * never beside the operators' registrations. Pure: serialization and keys only.
 */
import type { AdoptedIndex } from './adoption';
import type { HealthRecord } from './health';
import { jsonObject } from './json';
import type { ProvisioningRecord } from './provisioning';

/** An invalid registration as last reported: which revision, since when, how many reminders. */
export interface InvalidState {
  /** The registration's revision (see `revisionOf`): a new write is a new problem. */
  readonly revision: string;
  /** When this revision was first reported invalid (ISO). */
  readonly since: string;
  /** Reminders already sent for it (0: only the first report). */
  readonly reminded: number;
}

export interface TokenState {
  /** The lifecycle this state belongs to: the token's expiry instant (ISO). A new expiry resets it. */
  readonly expiresAt?: string;
  /** Thresholds (days) already alerted, or passed over by a more urgent alert, in this lifecycle. */
  readonly alertedThresholds: readonly number[];
  /** The `expired` alert of this lifecycle was sent. */
  readonly expiredAlerted: boolean;
  /** Weekly "still expired" reminders already sent in this lifecycle. */
  readonly expiredReminders?: number;
  /** The fewest days left a daily reminder (or a threshold's alert) was sent with, in this lifecycle. */
  readonly remindedDay?: number;
  readonly invalid?: InvalidState;
}

export interface MonitorState {
  /** The "no tokens registered" warning was sent and no token has been seen since. */
  readonly noTokensAlerted: boolean;
  /** Counts the times tokens appeared after an empty registry: each empty spell is its own alert. */
  readonly episode: number;
  /**
   * A scheduled run has completed here. Until then (a fresh deployment), a check at the current
   * time (the deploy-time check) starts the "not run" alarm's dead man's switch; after that, only
   * scheduled runs feed it.
   */
  readonly scheduledRunSeen?: boolean;
}

/** The alert topic's confirmed subscriptions, as the last scheduled run counted them. */
export interface SubscribersState {
  readonly confirmed: number;
  /** Drops alerted so far: each drop is its own alert. */
  readonly drops: number;
}

/** What the probe last reported for a token (see probe.ts). */
export interface ProbeState {
  /** The registration revision last reported as rejected. */
  readonly rejectedRevision: string | null;
  /** Since when every probe of this revision has been inconclusive (ISO), if it has. */
  readonly inconclusiveSince: string | null;
  /** The inconclusive spell already alerted (its `inconclusiveSince`). */
  readonly inconclusiveAlerted: string | null;
}

/** A state record to write: a TokenState, the MonitorState, a ProbeState, a HealthRecord, … */
export interface StateWrite {
  /** The record's key in the ledger, e.g. `token/okta-prod` (see the `…StateKey` functions). */
  readonly key: string;
  readonly state:
    | TokenState
    | MonitorState
    | HealthRecord
    | ProbeState
    | AdoptedIndex
    | SubscribersState
    | ProvisioningRecord;
  /**
   * Optimistic concurrency for records several invocations update at once (the adopted index):
   * the stored JSON this write replaces, `null` for a record that must not exist yet. Absent: the
   * write replaces whatever is there.
   */
  readonly expected?: string | null;
}

/**
 * A state write and the alerts it announces: committed only once every one of them is delivered
 * on every channel, so state never runs ahead of delivery (an alert that failed is recomputed,
 * and found already sent where it was, by the next run). `after` empty: it depends on no delivery.
 */
export interface Commit {
  readonly write: StateWrite;
  /** Ledger keys of the alerts that must be delivered first. */
  readonly after: readonly string[];
}

export const EMPTY_TOKEN_STATE: TokenState = { alertedThresholds: [], expiredAlerted: false };
export const EMPTY_MONITOR_STATE: MonitorState = { noTokensAlerted: false, episode: 0 };
/** The record of the alert topic's subscriptions. */
export const SUBSCRIBERS_STATE_KEY = 'subscribers';
export const EMPTY_PROBE_STATE: ProbeState = {
  rejectedRevision: null,
  inconclusiveSince: null,
  inconclusiveAlerted: null,
};

/** A token's state record. Any name SSM accepts fits: a ledger key holds 2,048 bytes. */
export function tokenStateKey(tokenName: string): string {
  return `token/${tokenName}`;
}

/** The monitor's own record; cannot collide with a token's. */
export const MONITOR_STATE_KEY = 'monitor';

export function probeStateKey(tokenName: string): string {
  return `probe/${tokenName}`;
}

const isString = (v: unknown): v is string => typeof v === 'string';
const count = (v: unknown): number => (Number.isInteger(v) && (v as number) >= 0 ? (v as number) : 0);

/** Reads stored state; anything unreadable counts as no state (at worst an alert repeats). */
export function parseTokenState(text: string | undefined): TokenState {
  const raw = jsonObject(text);
  if (!raw) return EMPTY_TOKEN_STATE;
  const thresholds = Array.isArray(raw.alertedThresholds)
    ? raw.alertedThresholds.filter((t): t is number => Number.isInteger(t))
    : [];
  const invalid = raw.invalid as Record<string, unknown> | undefined;
  return {
    ...(isString(raw.expiresAt) ? { expiresAt: raw.expiresAt } : {}),
    alertedThresholds: thresholds,
    expiredAlerted: raw.expiredAlerted === true,
    ...(count(raw.expiredReminders) > 0 ? { expiredReminders: count(raw.expiredReminders) } : {}),
    ...(Number.isInteger(raw.remindedDay) ? { remindedDay: raw.remindedDay as number } : {}),
    ...(invalid && isString(invalid.revision) && isString(invalid.since)
      ? { invalid: { revision: invalid.revision, since: invalid.since, reminded: count(invalid.reminded) } }
      : {}),
  };
}

export function parseMonitorState(text: string | undefined): MonitorState {
  const raw = jsonObject(text);
  return raw
    ? {
        noTokensAlerted: raw.noTokensAlerted === true,
        episode: count(raw.episode),
        ...(raw.scheduledRunSeen === true ? { scheduledRunSeen: true } : {}),
      }
    : EMPTY_MONITOR_STATE;
}

/** Undefined when nothing was recorded yet (the first scheduled run). */
export function parseSubscribersState(text: string | undefined): SubscribersState | undefined {
  const raw = jsonObject(text);
  return raw && Number.isInteger(raw.confirmed)
    ? { confirmed: count(raw.confirmed), drops: count(raw.drops) }
    : undefined;
}

export function parseProbeState(text: string | undefined): ProbeState {
  const raw = jsonObject(text);
  if (!raw) return EMPTY_PROBE_STATE;
  const orNull = (v: unknown) => (isString(v) ? v : null);
  return {
    rejectedRevision: orNull(raw.rejectedRevision),
    inconclusiveSince: orNull(raw.inconclusiveSince),
    inconclusiveAlerted: orNull(raw.inconclusiveAlerted),
  };
}

/** Stable JSON (fixed key order, thresholds sorted), so equal states serialize equally. */
export function serializeState(state: StateWrite['state']): string {
  if (!('alertedThresholds' in state)) return JSON.stringify(state);
  const token = state as TokenState;
  return JSON.stringify({
    ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }),
    alertedThresholds: [...new Set(token.alertedThresholds)].sort((a, b) => b - a),
    expiredAlerted: token.expiredAlerted,
    ...(token.expiredReminders ? { expiredReminders: token.expiredReminders } : {}),
    ...(token.invalid ? { invalid: token.invalid } : {}),
  });
}
