/**
 * The monitor's ports in memory: a ledger with DynamoDB's claim semantics (the same conditions as
 * adapters/ledger.ts), sinks that record what each channel received, and a registry. Each can fail
 * any call on demand (before it is applied, or after: the answer lost), so the exactly-once
 * protocol and the invariants are tested in process, in milliseconds.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { AlertPayload, RenderedAlert } from '../../core/messages';
import {
  type Channel,
  type ClaimResult,
  type EntryResult,
  type Ledger,
  type MonitorSources,
  type Sinks,
  StateConflict,
} from '../../core/ports';
import type { RegistryParameter } from '../../core/registration';
import type { SubscriberCount } from '../../core/subscribers';
import type { RunPorts } from '../../functions/monitor/run';

/** Decides whether a call fails: `before` (not applied), `after` (applied, the answer lost), or not at all. */
export type MemoryFault = (call: string) => 'before' | 'after' | undefined;

interface ClaimRecord {
  status: 'claimed' | 'sent';
  owner: string;
  until: number;
  messageId?: string;
}

async function guarded<T>(fault: MemoryFault | undefined, call: string, apply: () => T): Promise<T> {
  // A real call takes a turn of the event loop: overlapping invocations interleave here.
  await new Promise((r) => setImmediate(r));
  const f = fault?.(call);
  if (f === 'before')
    throw Object.assign(new Error(`injected fault on ${call}`), { name: 'InternalServerError' });
  const result = apply();
  if (f === 'after') throw Object.assign(new Error(`answer lost for ${call}`), { name: 'TimeoutError' });
  return result;
}

export class MemoryLedger implements Ledger {
  readonly claims = new Map<string, Partial<Record<Channel, ClaimRecord>>>();
  readonly states = new Map<string, string>();
  /** Every state write applied, in order, with the keys sent on every channel at that moment. */
  readonly writes: Array<{ key: string; json: string }> = [];
  fault: MemoryFault | undefined;

  claim(key: string, channel: Channel, owner: string, now: Date, leaseUntil: Date): Promise<ClaimResult> {
    return guarded(this.fault, `claim ${channel} ${key}`, () => {
      const item = this.claims.get(key) ?? {};
      const current = item[channel];
      // The condition of adapters/ledger.ts: absent, or claimed by the same owner, or its lease over.
      if (
        !current ||
        (current.status === 'claimed' && (current.owner === owner || current.until < now.getTime()))
      ) {
        this.claims.set(key, {
          ...item,
          [channel]: { status: 'claimed', owner, until: leaseUntil.getTime() },
        });
        return 'claimed';
      }
      return current.status === 'sent' ? 'sent' : 'busy';
    });
  }

  confirm(key: string, channel: Channel, owner: string, _now: Date, messageId: string): Promise<void> {
    return guarded(this.fault, `confirm ${channel} ${key}`, () => {
      const item = this.claims.get(key) ?? {};
      this.claims.set(key, { ...item, [channel]: { status: 'sent', owner, until: 0, messageId } });
    });
  }

  release(key: string, channel: Channel, owner: string): Promise<void> {
    return guarded(this.fault, `release ${channel} ${key}`, () => {
      const item = this.claims.get(key);
      const current = item?.[channel];
      if (item && current?.status === 'claimed' && current.owner === owner) delete item[channel];
    });
  }

  writeState(key: string, json: string, _now: Date, expected?: string | null): Promise<void> {
    return guarded(this.fault, `write ${key}`, () => {
      if (expected !== undefined && (this.states.get(key) ?? null) !== expected) {
        throw new StateConflict(`state ${key} was changed by another invocation`);
      }
      this.states.set(key, json);
      this.writes.push({ key, json });
    });
  }

  readStates(keys: readonly string[]): Promise<Map<string, string>> {
    return guarded(this.fault, 'read states', () => {
      const out = new Map<string, string>();
      for (const k of keys) {
        const v = this.states.get(k);
        if (v !== undefined) out.set(k, v);
      }
      return out;
    });
  }

  /** True when the alert is confirmed sent on the channel. */
  sent(key: string, channel: Channel): boolean {
    return this.claims.get(key)?.[channel]?.status === 'sent';
  }
}

/** What the channels received. */
export class MemorySinks implements Sinks {
  readonly sns: (messages: readonly RenderedAlert[]) => Promise<EntryResult[]>;
  readonly events: (payloads: readonly AlertPayload[], time: Date) => Promise<EntryResult[]>;
  readonly received: { sns: RenderedAlert[]; events: AlertPayload[] } = { sns: [], events: [] };
  fault: MemoryFault | undefined;
  /** Fails one entry inside a successful batch reply. */
  entryFault: ((channel: Channel) => boolean) | undefined;
  private n = 0;

  constructor() {
    const batch =
      <T>(channel: Channel, into: T[]) =>
      (items: readonly T[]): Promise<EntryResult[]> =>
        guarded(this.fault, `send ${channel}`, () =>
          items.map((item): EntryResult => {
            if (this.entryFault?.(channel))
              return { ok: false, error: 'InternalFailure: injected entry fault' };
            into.push(item);
            return { ok: true, id: `m-${++this.n}` };
          }),
        );
    this.sns = batch('sns', this.received.sns);
    const events = batch('events', this.received.events);
    this.events = (payloads) => events(payloads);
  }
}

/** A registry in memory, served in pages of ten like SSM. */
export class MemorySources implements MonitorSources {
  readonly parameters = new Map<string, RegistryParameter>();
  subscribers: SubscriberCount | undefined;
  instances = [
    { instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', identityStoreId: 'd-1234567890' },
  ];
  fault: MemoryFault | undefined;

  constructor(private readonly ledger: MemoryLedger) {}

  put(name: string, value: string, type = 'String', lastModified?: Date): void {
    const version = (this.parameters.get(name)?.version ?? 0) + 1;
    this.parameters.set(name, { name, type, value, version, ...(lastModified ? { lastModified } : {}) });
  }

  async *registryPages(prefix: string): AsyncIterable<readonly RegistryParameter[]> {
    const names = [...this.parameters.keys()].filter((n) => n.startsWith(prefix)).sort();
    for (let i = 0; i < names.length || i === 0; i += 10) {
      const page = names.slice(i, i + 10).map((n) => this.parameters.get(n) as RegistryParameter);
      yield await guarded(this.fault, 'read registry', () => page);
      if (names.length === 0) return;
    }
  }

  readStates(keys: readonly string[]): Promise<Map<string, string>> {
    return this.ledger.readStates(keys);
  }

  listInstances() {
    return guarded(this.fault, 'list instances', () => this.instances);
  }

  topicSubscribers(): Promise<SubscriberCount> {
    return guarded(this.fault, 'count subscribers', () => {
      if (!this.subscribers) throw new Error('no topic');
      return this.subscribers;
    });
  }
}

const silent = new Logger({ serviceName: 'test', logLevel: 'SILENT' });

/** Everything a run needs, in memory, with a clock the test sets. */
export function memoryPorts(clock: () => Date = () => new Date()) {
  const ledger = new MemoryLedger();
  const sources = new MemorySources(ledger);
  const sinks = new MemorySinks();
  const ports: RunPorts = {
    sources,
    ledger,
    sinks,
    clock,
    remainingMs: () => 300_000,
    log: silent,
    metrics: new Metrics({ namespace: 'test' }),
    tokenMetrics: new Metrics({ namespace: 'test' }),
    retryDelaysMs: [],
  };
  return { ledger, sources, sinks, ports };
}
