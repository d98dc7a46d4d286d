/**
 * Alert state: what has already been sent, kept in SSM under the state prefix (outside the
 * registry, so operators' registrations are never rewritten by the monitor).
 */
import type { HealthRecord } from './health';

export interface TokenState {
  /** The lifecycle this state belongs to: the token's expiry instant (ISO). A new expiry resets it. */
  readonly expiresAt?: string;
  /** Thresholds (days) already alerted, or passed over by a more urgent alert, in this lifecycle. */
  readonly alertedThresholds: readonly number[];
  /** The one `expired` alert of this lifecycle was sent. */
  readonly expiredAlerted: boolean;
  /** Registry parameter version last reported as invalid. */
  readonly invalidVersion?: number;
}

export interface MonitorState {
  /** The "no tokens registered" warning was sent and no token has been seen since. */
  readonly noTokensAlerted: boolean;
}

/** What the probe last reported for a token (see probe.ts). */
export interface ProbeState {
  /** The parameter version last reported as rejected. */
  readonly rejectedVersion: number | null;
}

/** A state parameter to write: a TokenState, the MonitorState, or a HealthRecord. */
export interface StateWrite {
  readonly parameterName: string;
  readonly state: TokenState | MonitorState | HealthRecord | ProbeState;
}

export const EMPTY_TOKEN_STATE: TokenState = { alertedThresholds: [], expiredAlerted: false };
export const EMPTY_MONITOR_STATE: MonitorState = { noTokensAlerted: false };

/** Where a token's state lives: `<statePrefix>tokens/<token name>`. */
export function tokenStateName(statePrefix: string, tokenName: string): string {
  return `${statePrefix}tokens/${tokenName}`;
}

/** Where the monitor's own state lives; cannot collide with a token's. */
export function monitorStateName(statePrefix: string): string {
  return `${statePrefix}monitor`;
}

/** Reads stored state; anything unreadable counts as no state (at worst an alert repeats). */
export function parseTokenState(text: string | undefined): TokenState {
  if (text === undefined) return EMPTY_TOKEN_STATE;
  try {
    const raw = JSON.parse(text) as Record<string, unknown>;
    const thresholds = Array.isArray(raw.alertedThresholds)
      ? raw.alertedThresholds.filter((t): t is number => Number.isInteger(t))
      : [];
    return {
      ...(typeof raw.expiresAt === 'string' ? { expiresAt: raw.expiresAt } : {}),
      alertedThresholds: thresholds,
      expiredAlerted: raw.expiredAlerted === true,
      ...(Number.isInteger(raw.invalidVersion) ? { invalidVersion: raw.invalidVersion as number } : {}),
    };
  } catch {
    return EMPTY_TOKEN_STATE;
  }
}

export function parseMonitorState(text: string | undefined): MonitorState {
  if (text === undefined) return EMPTY_MONITOR_STATE;
  try {
    return { noTokensAlerted: (JSON.parse(text) as Record<string, unknown>).noTokensAlerted === true };
  } catch {
    return EMPTY_MONITOR_STATE;
  }
}

/** Stable JSON (fixed key order, thresholds sorted), so equal states serialize equally. */
export function serializeState(state: TokenState | MonitorState | object): string {
  if ('noTokensAlerted' in state) return JSON.stringify({ noTokensAlerted: state.noTokensAlerted });
  if (!('alertedThresholds' in state)) return JSON.stringify(state);
  const token = state as TokenState;
  return JSON.stringify({
    ...(token.expiresAt === undefined ? {} : { expiresAt: token.expiresAt }),
    alertedThresholds: [...new Set(token.alertedThresholds)].sort((a, b) => b - a),
    expiredAlerted: token.expiredAlerted,
    ...(token.invalidVersion === undefined ? {} : { invalidVersion: token.invalidVersion }),
  });
}

export function sameTokenState(a: TokenState, b: TokenState): boolean {
  return serializeState(a) === serializeState(b);
}
