/**
 * "A due alert always arrives, once", through the synthesized bundle against the stand-in: each
 * way the promise was found to bend, reproduced, and shown to hold now.
 */
import { invokeBundle } from '../../tools/bundle';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;
/** What SNS and EventBridge take for one message, and for one PutEvents request. */
const LIMIT = 262_144;

useMonitor({ registry: 'empty' });

const subjects = () => aws.published.map((p) => p.subject);
const bytes = (s: string) => Buffer.byteLength(s);

it('delivers the "token date moved" warning after its first send failed', async () => {
  // The 30-day alert of a SecureString token went out.
  aws.put(`${prefix}vault`, 'secret', 'SecureString', new Date('2026-01-20T10:00:00Z'));
  await invokeBundle(bundle, [scheduledEvent('2026-12-21T08:00:00Z')], env);
  expect(subjects()).toEqual([
    '[WARNING] 123456789012: SCIM token vault expires in 30 days (2027-01-20 10:00 UTC)',
  ]);
  aws.resetRecords();
  // The same value is re-applied, and the next run's every PublishBatch fails.
  aws.put(`${prefix}vault`, 'secret', 'SecureString', new Date('2026-12-22T06:00:00Z'));
  aws.fault = (call) =>
    call.action === 'sns:PublishBatch' ? { status: 500, code: 'InternalError' } : undefined;
  const failed = await invokeBundle(
    bundle,
    [{ event: scheduledEvent('2026-12-22T08:00:00Z'), requestId: 'r1' }],
    env,
  );
  expect(failed.results[0]?.ok).toBe(false);
  aws.fault = undefined;
  // Lambda's retry (or, had it failed too, the next day's run) delivers it: the reset of the
  // token's lifecycle waited for it.
  await invokeBundle(bundle, [{ event: scheduledEvent('2026-12-22T08:00:00Z'), requestId: 'r1' }], env);
  expect(subjects()).toEqual([
    '[WARNING] 123456789012: SCIM token vault rewritten: expiry moved to 2027-12-22 06:00 UTC',
  ]);
  aws.resetRecords();
  await invokeBundle(bundle, [scheduledEvent('2026-12-23T08:00:00Z')], env);
  expect(aws.published).toEqual([]);
});

it('keeps every message within the limits when 70 long-named invalid registrations flood a 30-day warning', async () => {
  for (let i = 0; i < 70; i++)
    aws.put(`${prefix}${'x'.repeat(890)}${String(i).padStart(3, '0')}`, 'nonsense');
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-01-15"}');
  const { results } = await invokeBundle(bundle, [scheduledEvent('2026-12-16T08:00:00Z')], env);
  expect(results[0]).toMatchObject({ ok: true, result: { alertsSent: 71, failures: 0 } });
  // One digest on SNS, within the limit, the token's warning first; the rest counted.
  expect(aws.published).toHaveLength(1);
  const digest = aws.published[0];
  const size = bytes(digest?.message ?? '') + bytes(digest?.subject ?? '');
  expect(size).toBeLessThanOrEqual(LIMIT);
  const email = JSON.parse(digest?.message ?? '{}').email as string;
  expect(email).toContain('- okta-prod: expiry-warning (warning), expires in 30 day(s) on 2027-01-15');
  expect(email).toMatch(/- and \d+ more: run `scim-token-monitor status`/);
  // Every alert is its own event on EventBridge, each request within the limit.
  expect(aws.events).toHaveLength(71);
  for (const call of aws.calls.filter((c) => c.action === 'events:PutEvents')) {
    expect(bytes(JSON.stringify(call.input))).toBeLessThanOrEqual(LIMIT + 10_000);
  }
});

it('sends at most the cap of critical alerts alone when 40 tokens have expired, and names or counts every one', async () => {
  for (let i = 0; i < 40; i++)
    aws.put(`${prefix}team-${String(i).padStart(2, '0')}`, '{"createdAt":"2026-01-15"}');
  await invokeBundle(bundle, [scheduledEvent('2027-01-15T08:00:00Z')], env);
  const alone = aws.published.filter((p) => p.attributes.alertType?.value !== 'digest');
  const digests = aws.published.filter((p) => p.attributes.alertType?.value === 'digest');
  expect(alone.length).toBeLessThanOrEqual(10);
  expect(digests).toHaveLength(1);
  const payload = JSON.parse(JSON.parse(digests[0]?.message ?? '{}').sqs) as {
    severity: string;
    digest: Array<{ tokenName: string }>;
    digestOmitted?: number;
  };
  expect(payload.severity).toBe('critical');
  expect(alone.length + payload.digest.length + (payload.digestOmitted ?? 0)).toBe(40);
  // A week later, the reminders are capped the same way.
  aws.resetRecords();
  await invokeBundle(bundle, [scheduledEvent('2027-01-22T08:00:00Z')], env);
  expect(aws.published.filter((p) => p.attributes.alertType?.value !== 'digest').length).toBeLessThanOrEqual(
    10,
  );
});

it('does not send digest members again alone when their state writes failed after the digest went out', async () => {
  for (let i = 1; i <= 12; i++)
    aws.put(`${prefix}team-${String(i).padStart(2, '0')}`, '{"createdAt":"2026-01-15"}');
  // The first invocation's writes of three members' state fail, every SDK attempt.
  const failing = new Set<string>();
  let first = true;
  aws.fault = (call) => {
    const pk = JSON.stringify((call.input.Item as { pk?: unknown } | undefined)?.pk ?? '');
    if (!first || call.action !== 'dynamodb:PutItem' || !pk.includes('state#token/')) return undefined;
    if (failing.size < 3) failing.add(pk);
    return failing.has(pk) ? { status: 500, code: 'InternalServerError' } : undefined;
  };
  const retried = { event: scheduledEvent('2026-11-16T08:00:00Z'), requestId: 'r1' };
  const { results } = await invokeBundle(bundle, [retried], env);
  expect(results[0]?.ok).toBe(false);
  expect(subjects()).toEqual(['[INFO] 123456789012: SCIM token monitor: 12 token alerts due (digest)']);
  // Lambda's retry finds the three members already sent: it records them and sends nothing.
  first = false;
  const again = await invokeBundle(bundle, [retried, scheduledEvent('2026-11-17T08:00:00Z')], env);
  expect(again.results.every((r) => r.ok)).toBe(true);
  expect(aws.published).toHaveLength(1);
});

it("delivers on a redelivered scheduled event hours old, past a dead invocation's claim", async () => {
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-01-15"}');
  // An invocation at 08:00 claimed the 60-day alert on SNS and died; its lease ran out at 08:06.
  await aws.dynamodb.putItem({
    pk: { S: 'delivery#token/okta-prod#2027-01-15T00:00:00.000Z#60' },
    sns: {
      M: {
        status: { S: 'claimed' },
        owner: { S: 'dead' },
        until: { N: String(Date.parse('2026-11-16T08:06:00Z')) },
      },
    },
  });
  // EventBridge delivers the same event again at 11:00, with a new request ID.
  const { results } = await invokeBundle(
    bundle,
    [{ event: scheduledEvent('2026-11-16T08:00:00Z'), clock: '2026-11-16T11:00:00Z', requestId: 'new' }],
    env,
  );
  expect(results[0]).toMatchObject({ ok: true, result: { alertsSent: 1 } });
  expect(subjects()).toEqual([
    '[INFO] 123456789012: SCIM token okta-prod expires in 60 days (2027-01-15 00:00 UTC)',
  ]);
});

it('feeds the "not run" alarm from scheduled runs only, once one has happened', async () => {
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-06-01"}');
  // A scheduled run, then a manual invoke the same afternoon (no event: a check at the current time).
  const runs = await invokeBundle(
    bundle,
    [scheduledEvent('2026-11-16T08:00:00Z'), { event: {}, clock: '2026-11-16T14:00:00Z' }],
    env,
  );
  expect(runs.results.every((r) => r.ok)).toBe(true);
  // One RunSucceeded data point: the scheduled run's. A manual invoke cannot hide a dead schedule.
  expect(runs.logs.filter((l) => 'RunSucceeded' in l).map((l) => l.RunSucceeded)).toEqual([1]);
});

it('tells the remaining channels when the alert topic loses subscribers', async () => {
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-06-01"}');
  const topic = MONITOR_ENV.ALERT_TOPIC_ARN;
  aws.ops.subscriptions.set(topic, [
    { protocol: 'email', endpoint: 'oncall@example.com', confirmed: true },
    { protocol: 'https', endpoint: 'https://global.sns-api.chatbot.amazonaws.com', confirmed: true },
  ]);
  await invokeBundle(bundle, [scheduledEvent('2026-11-16T08:00:00Z')], env);
  expect(aws.published).toEqual([]);
  // Someone clicks the unsubscribe link in an alert e-mail.
  aws.ops.subscriptions.set(topic, [
    { protocol: 'https', endpoint: 'https://global.sns-api.chatbot.amazonaws.com', confirmed: true },
  ]);
  await invokeBundle(
    bundle,
    [scheduledEvent('2026-11-17T08:00:00Z'), scheduledEvent('2026-11-18T08:00:00Z')],
    env,
  );
  expect(subjects()).toEqual([
    '[WARNING] 123456789012: SCIM token monitor: alert subscribers dropped from 2 to 1',
  ]);
  expect(aws.events.map((e) => JSON.parse(String(e.Detail)).alertType)).toEqual(['subscribers-dropped']);
  // Then nobody is left: critical, and EventBridge still hears it.
  aws.resetRecords();
  aws.ops.subscriptions.set(topic, []);
  await invokeBundle(bundle, [scheduledEvent('2026-11-19T08:00:00Z')], env);
  expect(subjects()).toEqual([
    '[CRITICAL] 123456789012: SCIM token monitor: nobody is subscribed to alerts any more',
  ]);
  expect(aws.events).toHaveLength(1);
});
