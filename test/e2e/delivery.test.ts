/**
 * Exactly once, through the synthesized bundle and the stand-in: overlapping invocations, replays
 * of a date, and failed entries inside a successful reply (docs/architecture.md, "Exactly once").
 */
import { invokeBundle } from '../../tools/bundle';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;

useMonitor();

async function ledgerKeys(): Promise<string[]> {
  return (await aws.dynamodb.items()).map((i) => String(i.pk?.S));
}

function subjects() {
  return aws.published.map((p) => p.subject);
}

describe('delivery through the ledger', () => {
  it('sends each alert once on each channel when three invocations of the same day overlap', async () => {
    // A duplicate EventBridge delivery, a manual invoke and the deploy-time run, all at once.
    const at = '2026-11-16T08:00:00Z';
    const { results } = await invokeBundle(
      bundle,
      [scheduledEvent(at), { event: { ...scheduledEvent(at), id: 'dup' } }, { event: {}, clock: at }],
      env,
      true,
    );
    expect(results.every((r) => r.ok)).toBe(true);
    expect(subjects().sort()).toEqual([
      '[INFO] 123456789012: SCIM token okta-prod expires in 60 days (2027-01-15 00:00 UTC)',
      '[WARNING] 123456789012: SCIM token registration broken is invalid: not monitored',
    ]);
    expect(aws.events).toHaveLength(2);
    // And the next day, nothing is left over or repeated.
    aws.resetRecords();
    await invokeBundle(bundle, [scheduledEvent('2026-11-17T08:00:00Z')], env);
    expect(aws.published).toEqual([]);
  });

  it('treats a manual invoke with a future date as a dry run: nothing sent, written or spent', async () => {
    const typo = { event: { time: '2072-01-16T08:00:00Z' }, clock: '2026-11-10T08:00:00Z' };
    const { results, logs } = await invokeBundle(bundle, [typo], env);
    expect(results[0]?.ok).toBe(true);
    expect(aws.published).toEqual([]);
    expect(aws.events).toEqual([]);
    expect(await aws.dynamodb.items()).toEqual([]);
    expect(logs.filter((l) => l.message === 'dry run: would send').length).toBeGreaterThan(0);
    // The real alerts still come on their days.
    await invokeBundle(bundle, [scheduledEvent('2026-11-16T08:00:00Z')], env);
    expect(subjects()).toContain(
      '[INFO] 123456789012: SCIM token okta-prod expires in 60 days (2027-01-15 00:00 UTC)',
    );
  });

  it('completes only the missing EventBridge copy when an entry fails inside a PutEvents reply', async () => {
    let failures = 6; // both entries, in each of the run's three attempts
    aws.entryFault = (action) =>
      action === 'events:PutEvents' && failures-- > 0 ? 'InternalFailure' : undefined;
    try {
      const retried = { event: scheduledEvent('2026-11-16T08:00:00Z'), requestId: 'req-2' };
      const { results } = await invokeBundle(bundle, [retried, retried], env);
      expect(results.map((r) => r.ok)).toEqual([false, true]);
    } finally {
      aws.entryFault = undefined;
    }
    expect(subjects().sort()).toEqual([
      '[INFO] 123456789012: SCIM token okta-prod expires in 60 days (2027-01-15 00:00 UTC)',
      '[WARNING] 123456789012: SCIM token registration broken is invalid: not monitored',
    ]);
    expect(aws.events).toHaveLength(2);
  });

  it('warns when a SecureString is re-put with the same value inside a threshold (its date moved)', async () => {
    await invokeBundle(bundle, [scheduledEvent('2026-12-21T08:00:00Z')], env);
    expect(subjects()).toContain(
      '[WARNING] 123456789012: SCIM token prod/vault expires in 30 days (2027-01-20 10:00 UTC)',
    );
    aws.resetRecords();
    // Infrastructure code re-applies the same token: SSM moves LastModifiedDate.
    aws.put(
      `${prefix}prod/vault`,
      'the-secret-token-value',
      'SecureString',
      new Date('2026-12-22T06:00:00Z'),
    );
    await invokeBundle(
      bundle,
      [scheduledEvent('2026-12-22T08:00:00Z'), scheduledEvent('2026-12-23T08:00:00Z')],
      env,
    );
    expect(subjects()).toEqual([
      '[WARNING] 123456789012: SCIM token prod/vault rewritten: expiry moved to 2027-12-22 06:00 UTC',
    ]);
    const text = JSON.parse(aws.published[0]?.message ?? '{}').email as string;
    expect(text).toContain('the real expiry is still 2027-01-20');
  });

  it('reports a deleted and re-created invalid registration again, though its version restarted at 1', async () => {
    await invokeBundle(bundle, [scheduledEvent('2026-11-02T08:00:00Z')], env);
    aws.parameters.delete(`${prefix}broken`);
    aws.put(`${prefix}broken`, '{"createdAt":"2026-02-30"}', 'String', new Date('2026-11-02T12:00:00Z'));
    expect(aws.parameters.get(`${prefix}broken`)?.version).toBe(1);
    const { results } = await invokeBundle(bundle, [scheduledEvent('2026-11-03T08:00:00Z')], env);
    expect(results[0]?.result?.alertsSent).toBe(1);
    expect(subjects()).toEqual([
      '[WARNING] 123456789012: SCIM token registration broken is invalid: not monitored',
      '[WARNING] 123456789012: SCIM token registration broken is invalid: not monitored',
    ]);
  });

  it('handles a token name as deep as SSM allows (15 levels), once', async () => {
    const deep = 'a/b/c/d/e/f/g/h/i/j/k/l/okta';
    expect(`${prefix}${deep}`.split('/').length - 1).toBe(15);
    aws.put(`${prefix}${deep}`, '{"createdAt":"2026-01-15"}');
    await invokeBundle(
      bundle,
      [scheduledEvent('2026-11-16T08:00:00Z'), scheduledEvent('2026-11-17T08:00:00Z')],
      env,
    );
    expect(subjects().filter((s) => s?.includes(deep))).toHaveLength(1);
    expect(await ledgerKeys()).toContain(`state#token/${deep}`);
  });

  it('lets DynamoDB expire every record it writes (TTL), so a removed token leaves nothing behind for ever', async () => {
    await invokeBundle(bundle, [scheduledEvent('2026-11-16T08:00:00Z')], env);
    const items = await aws.dynamodb.items();
    expect(items.length).toBeGreaterThan(0);
    const now = Date.parse('2026-11-16T08:00:00Z') / 1000;
    for (const item of items) {
      const ttl = Number((item.ttl as { N?: string } | undefined)?.N);
      expect(ttl).toBeGreaterThan(now + 300 * 86_400);
      expect(ttl).toBeLessThan(now + 500 * 86_400);
    }
  });

  it('spends no alert on the deploy-time check: it proves the run and leaves the warnings to the schedule', async () => {
    aws.parameters.clear();
    // What CDK's trigger sends after `cdk deploy`: no event at all.
    const check = await invokeBundle(bundle, [{ event: {}, clock: '2026-11-16T07:55:00Z' }], env);
    expect(check.results[0]).toMatchObject({ ok: true, result: { alertsPlanned: 1, alertsSent: 0 } });
    expect(aws.published).toEqual([]);
    expect(await ledgerKeys()).toEqual([]);
    // It counts as a run, so the "not run" alarm gets its first data point at once.
    expect(check.logs.some((l) => l.RunSucceeded === 1)).toBe(true);
    // The first scheduled run, when subscriptions can have been confirmed, sends the warning.
    await invokeBundle(bundle, [scheduledEvent('2026-11-17T08:00:00Z')], env);
    expect(subjects()).toEqual([
      '[WARNING] 123456789012: SCIM token monitor: no tokens registered, nothing is monitored',
    ]);
  });
});
