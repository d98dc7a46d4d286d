/**
 * The exactly-once protocol and "state never runs ahead of delivery", in process: the real
 * delivery (functions/monitor/deliver.ts) over an in-memory ledger and sinks that fail on demand.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import type { PlannedAlert } from '../../core/plan';
import { type Commit, tokenStateKey } from '../../core/state';
import { type DeliveryContext, deliver } from '../../functions/monitor/deliver';
import { MemoryLedger, MemorySinks } from '../support/memory-ports';

const NOW = new Date('2026-12-16T08:00:00Z');
const ORIGIN = {
  region: 'eu-west-1',
  registryPrefix: '/scim-token-monitor/tokens/',
  account: '123456789012',
};

function alert(name: string, severity: 'info' | 'warning' | 'critical' = 'warning', days = 30): PlannedAlert {
  const expiresAt = new Date(NOW.getTime() + days * 86_400_000);
  return {
    key: `token/${name}#2027-01-15#${days}`,
    alert: {
      alertType: 'expiry-warning',
      severity,
      evaluatedAt: NOW,
      tokenName: name,
      parameterName: `/scim-token-monitor/tokens/${name}`,
      token: {
        name,
        parameterName: `/scim-token-monitor/tokens/${name}`,
        version: 1,
        revision: '1',
        source: 'json',
        expiresAt,
        expiryExplicit: true,
        validityDays: 365,
      },
      daysRemaining: days,
      threshold: days,
      consoleUrl: 'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
      ...ORIGIN,
    },
  };
}

function commitAfter(a: PlannedAlert, thresholds: number[] = [60, 30]): Commit {
  const name = a.alert.tokenName as string;
  return {
    write: { key: tokenStateKey(name), state: { alertedThresholds: thresholds, expiredAlerted: false } },
    after: [a.key],
  };
}

function setup(owner = 'run-1', clock = new Date('2026-12-16T08:00:05Z')) {
  const ledger = new MemoryLedger();
  const sinks = new MemorySinks();
  const context = (over: Partial<DeliveryContext> = {}): DeliveryContext => ({
    ledger,
    sinks,
    owner,
    leaseUntil: new Date(clock.getTime() + 360_000),
    clock: () => clock,
    dryRun: false,
    digestAfter: 10,
    origin: ORIGIN,
    log: new Logger({ logLevel: 'SILENT' }),
    retryDelaysMs: [],
    ...over,
  });
  return { ledger, sinks, context };
}

describe('delivery, then commit', () => {
  it('commits a state change only after its alert is delivered on every channel', async () => {
    // Prepare
    const { ledger, sinks, context } = setup();
    const a = alert('okta');
    sinks.entryFault = (channel) => channel === 'events';
    // Act
    const first = await deliver({ alerts: [a], commits: [commitAfter(a)] }, context(), NOW);
    // Assess: SNS went out, EventBridge did not: nothing is recorded, and the run says so.
    expect(sinks.received.sns).toHaveLength(1);
    expect(ledger.states.has('token/okta')).toBe(false);
    expect(first.failures[0]).toContain('sending the expiry-warning alert for okta on events failed');
    // The retry sends only the missing copy, then records.
    sinks.entryFault = undefined;
    await deliver({ alerts: [a], commits: [commitAfter(a)] }, context(), NOW);
    expect(sinks.received.sns).toHaveLength(1);
    expect(sinks.received.events).toHaveLength(1);
    expect(ledger.states.get('token/okta')).toContain('"alertedThresholds":[60,30]');
  });

  it('writes a change that announces nothing even when every send fails', async () => {
    const { ledger, sinks, context } = setup();
    sinks.fault = () => 'before';
    const reset: Commit = {
      write: { key: 'monitor', state: { noTokensAlerted: false, episode: 1 } },
      after: [],
    };
    await deliver({ alerts: [alert('okta')], commits: [reset, commitAfter(alert('okta'))] }, context(), NOW);
    expect([...ledger.states.keys()]).toEqual(['monitor']);
  });

  it('holds a commit back until every alert it names is delivered', async () => {
    const { ledger, sinks, context } = setup();
    const moved = alert('vault', 'warning', 30);
    const other = { ...alert('vault', 'warning', 7), key: 'token/vault#moved' };
    sinks.entryFault = (() => {
      let n = 0;
      return (channel: string) => channel === 'sns' && n++ === 1;
    })();
    const commit: Commit = { ...commitAfter(moved), after: [moved.key, other.key] };
    await deliver({ alerts: [moved, other], commits: [commit] }, context(), NOW);
    expect(ledger.states.has('token/vault')).toBe(false);
  });

  it('sends nothing, claims nothing and writes nothing in a dry run', async () => {
    const { ledger, sinks, context } = setup();
    const a = alert('okta');
    await deliver({ alerts: [a], commits: [commitAfter(a)] }, context({ dryRun: true }), NOW);
    expect(sinks.received).toEqual({ sns: [], events: [] });
    expect(ledger.claims.size + ledger.states.size).toBe(0);
  });
});

describe('claims', () => {
  it('skip an alert another live invocation holds, and deliver it once that invocation is dead', async () => {
    // A scheduled event redelivered three hours late, with a new request ID.
    const { ledger, sinks, context } = setup('run-2', new Date('2026-12-16T11:00:00Z'));
    const a = alert('okta');
    // A holder that died two hours after the scheduled event, its lease long over by the clock,
    // though not by the event's time: the lease is judged by the clock.
    await ledger.claim(a.key, 'sns', 'dead', NOW, new Date(NOW.getTime() + 6 * 60_000));
    const result = await deliver({ alerts: [a], commits: [commitAfter(a)] }, context(), NOW);
    expect(result.inFlightElsewhere).toBe(0);
    expect(sinks.received.sns).toHaveLength(1);
    // A live holder (its lease beyond the clock) is left alone.
    const b = alert('entra');
    await ledger.claim(b.key, 'sns', 'alive', NOW, new Date('2026-12-16T11:04:00Z'));
    const busy = await deliver({ alerts: [b], commits: [commitAfter(b)] }, context(), NOW);
    expect(busy.inFlightElsewhere).toBe(1);
    expect(sinks.received.sns).toHaveLength(1);
    expect(ledger.states.has('token/entra')).toBe(false);
  });

  it('give back what failed to go out, so any run may take it at once', async () => {
    const { ledger, sinks, context } = setup();
    const a = alert('okta');
    sinks.fault = () => 'before';
    await deliver({ alerts: [a], commits: [] }, context(), NOW);
    expect(ledger.claims.get(a.key)).toEqual({});
  });
});

describe('flood control through the ledger', () => {
  const many = (n: number, severity: 'warning' | 'critical' = 'warning') =>
    Array.from({ length: n }, (_, i) => alert(`team-${String(i).padStart(2, '0')}`, severity));

  it('sends a digest once from overlapping deliveries of the same plan', async () => {
    const { sinks, context } = setup();
    const alerts = many(12);
    const plan = { alerts, commits: alerts.map((a) => commitAfter(a)) };
    await Promise.all([
      deliver(plan, context({ owner: 'a' }), NOW),
      deliver(plan, context({ owner: 'b' }), NOW),
      deliver(plan, context({ owner: 'c' }), NOW),
    ]);
    expect(sinks.received.sns.map((m) => m.subject)).toEqual([
      '[WARNING] 123456789012: SCIM token monitor: 12 token alerts due (digest)',
    ]);
    expect(sinks.received.events).toHaveLength(12);
  });

  it('never sends a digest member again alone after its digest went out', async () => {
    const { ledger, sinks, context } = setup();
    const alerts = many(12);
    const plan = { alerts, commits: alerts.map((a) => commitAfter(a)) };
    // The digest goes out, and three of its members' state writes fail.
    let failing = 3;
    ledger.fault = (call) => (call.startsWith('write ') && failing-- > 0 ? 'before' : undefined);
    const first = await deliver(plan, context(), NOW);
    expect(first.failures.filter((f) => f.startsWith('writing state'))).toHaveLength(3);
    // The retry recomputes exactly those three: each is found sent, and only recorded.
    const left = alerts.filter((a) => !ledger.states.has(tokenStateKey(a.alert.tokenName as string)));
    expect(left).toHaveLength(3);
    ledger.fault = undefined;
    await deliver(
      { alerts: left, commits: left.map((a) => commitAfter(a)) },
      context({ owner: 'retry' }),
      NOW,
    );
    expect(sinks.received.sns).toHaveLength(1);
    expect(alerts.every((a) => ledger.states.has(tokenStateKey(a.alert.tokenName as string)))).toBe(true);
  });

  it('caps critical alerts sent alone, and names or counts every one', async () => {
    const { sinks, context } = setup();
    const alerts = many(40, 'critical');
    await deliver({ alerts, commits: [] }, context(), NOW);
    const alone = sinks.received.sns.filter((m) => m.payload.alertType !== 'digest');
    const digests = sinks.received.sns.filter((m) => m.payload.alertType === 'digest');
    expect(alone).toHaveLength(9);
    expect(digests).toHaveLength(1);
    expect(digests[0]?.subject).toContain('31 token alerts due');
    const named = [
      ...alone.map((m) => m.payload.tokenName),
      ...(digests[0]?.payload.digest ?? []).map((e) => e.tokenName),
    ];
    expect(new Set(named).size + (digests[0]?.payload.digestOmitted ?? 0)).toBe(40);
  });
});
