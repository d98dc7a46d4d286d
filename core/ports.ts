/**
 * What the monitor needs of the outside world, as small interfaces (ports): where a run reads
 * from, the delivery ledger, and the channels it sends to. The Lambda plugs in AWS
 * (functions/monitor/aws-ports.ts), the CLI plugs in SSM or a file, and tests plug in memory, so the exactly-once
 * protocol and the "state never runs ahead of delivery" invariant are tested in process.
 */
import type { Instance } from './instances';
import type { AlertPayload, RenderedAlert } from './messages';
import type { Window } from './provisioning';
import type { RegistryParameter } from './registration';
import type { SubscriberCount } from './subscribers';

/** Where a run reads from. */
export interface MonitorSources {
  /** The registry below `prefix`, one page at a time. */
  registryPages(prefix: string): AsyncIterable<readonly RegistryParameter[]>;
  /** The stored JSON of the named state records that exist. */
  readStates(keys: readonly string[]): Promise<Map<string, string>>;
  /** Absent when there is no IAM Identity Center to ask (offline). */
  listInstances?(): Promise<Instance[]>;
  /** The alert topic's subscriptions; absent where nobody can ask (offline). */
  topicSubscribers?(): Promise<SubscriberCount>;
  /**
   * The SCIM calls CloudTrail recorded between two instants, newest first, within a budget;
   * absent when provisioning is not observed (`observeProvisioning` off, or offline).
   */
  scimCalls?(from: Date, to: Date, budget: LookupBudget): Promise<Window & { readonly pages: number }>;
}

/** How much of a window of CloudTrail events a run may read. */
export interface LookupBudget {
  readonly maxPages: number;
  /** The run's wall clock, in milliseconds. */
  readonly clock: () => number;
  /** No request starts at or after this instant (the clock's milliseconds). */
  readonly deadline: number;
}

/** The two channels every alert goes to. */
export type Channel = 'sns' | 'events';
export const CHANNELS: readonly Channel[] = ['sns', 'events'];

/**
 * `claimed`: this invocation holds it now; `sent`: some run delivered it already; `busy`: another
 * live invocation holds it (it delivers, or its lease runs out and a later run does).
 */
export type ClaimResult = 'claimed' | 'sent' | 'busy';

/** A state write whose `expected` value no longer matched (another invocation wrote first). */
export class StateConflict extends Error {
  override readonly name = 'StateConflict';
}

/** The delivery ledger: a claim per alert and channel, and the alert state. */
export interface Ledger {
  /** Claims one alert on one channel for `owner` until `leaseUntil`, judged at `now` (the clock). */
  claim(key: string, channel: Channel, owner: string, now: Date, leaseUntil: Date): Promise<ClaimResult>;
  /** Records that `owner` delivered the alert on the channel. */
  confirm(key: string, channel: Channel, owner: string, now: Date, messageId: string): Promise<void>;
  /** Gives up a claim whose send failed, so any run may take it at once. */
  release(key: string, channel: Channel, owner: string): Promise<void>;
  /**
   * Writes a state record; with `expected`, only if the stored JSON is that (`null`: none), else
   * it throws `StateConflict`.
   */
  writeState(key: string, json: string, now: Date, expected?: string | null): Promise<void>;
}

/** One entry's outcome inside a batch call: AWS reports failed entries inside a successful reply. */
export type EntryResult =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly error: string };

/** The channels: one result per message, in order. */
export interface Sinks {
  sns(messages: readonly RenderedAlert[]): Promise<EntryResult[]>;
  events(payloads: readonly AlertPayload[], time: Date): Promise<EntryResult[]>;
}

/** What the opt-in probe learns of a stored token; the token itself never leaves the adapter. */
export interface TokenCheck {
  readonly outcome: 'accepted' | 'rejected' | 'inconclusive';
  /** The SCIM endpoint's HTTP status, when it answered. */
  readonly status?: number;
}

/** Reads a stored token (SecureString) and asks the SCIM endpoint whether it accepts it. */
export interface TokenChecker {
  check(parameterName: string, timeoutMs: number): Promise<TokenCheck>;
}
