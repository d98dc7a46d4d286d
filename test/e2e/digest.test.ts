/**
 * Flood control, through the synthesized bundle: a day when many tokens cross a threshold sends
 * the critical alerts one by one and the rest as one digest per severity on SNS (each alert still
 * its own event on EventBridge), once, also across overlapping runs; every grouped token's state
 * is recorded, so nothing is sent again the next day.
 */
import { invokeBundle } from '../../tools/bundle';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;

useMonitor({ registry: 'empty' });
beforeEach(async () => {
  // Twelve tokens 30 days from expiry on 2026-12-16, and one on its final day (critical).
  for (let i = 1; i <= 12; i++) {
    aws.put(`${prefix}team-${String(i).padStart(2, '0')}`, `{"createdAt":"2026-01-15","owner":"team ${i}"}`);
  }
  aws.put(`${prefix}payroll`, '{"expiresAt":"2026-12-17T18:00:00Z"}');
  // Their 60-day alerts went out already.
  for (let i = 1; i <= 12; i++) {
    await aws.dynamodb.putState(
      `token/team-${String(i).padStart(2, '0')}`,
      JSON.stringify({
        expiresAt: '2027-01-15T00:00:00.000Z',
        alertedThresholds: [60],
        expiredAlerted: false,
      }),
    );
  }
  await aws.dynamodb.putState(
    'token/payroll',
    JSON.stringify({
      expiresAt: '2026-12-17T18:00:00.000Z',
      alertedThresholds: [60, 30],
      expiredAlerted: false,
    }),
  );
});

it('sends the critical alert alone and the twelve others as one digest, once, even from overlapping runs', async () => {
  const day = scheduledEvent('2026-12-16T08:00:00Z');
  const { results } = await invokeBundle(
    bundle,
    [
      { event: day, requestId: 'a' },
      { event: day, requestId: 'b' },
      { event: day, requestId: 'c' },
    ],
    env,
    true,
  );
  expect(results.every((r) => r.ok)).toBe(true);
  // Overlapping runs each send what they claimed: the order between the two is not fixed.
  expect(aws.published.map((p) => p.subject).sort()).toEqual([
    '[CRITICAL] 123456789012: SCIM token payroll expires in 1 day (2026-12-17 18:00 UTC)',
    '[WARNING] 123456789012: SCIM token monitor: 12 token alerts due (digest)',
  ]);
  const digest = aws.published.find((p) => p.attributes.alertType?.value === 'digest');
  expect(digest?.attributes.alertType?.value).toBe('digest');
  const email = JSON.parse(digest?.message ?? '{}').email as string;
  for (let i = 1; i <= 12; i++) {
    expect(email).toContain(
      `- team-${String(i).padStart(2, '0')}: expiry-warning (warning), expires in 30 day(s) on 2027-01-15`,
    );
  }
  // EventBridge rules route per token: every alert is its own event there, once.
  expect(aws.events).toHaveLength(13);
  expect(new Set(aws.events.map((e) => JSON.parse(String(e.Detail)).tokenName)).size).toBe(13);
  // The next day: every grouped token's 30-day alert is recorded, nothing goes out again.
  aws.resetRecords();
  await invokeBundle(bundle, [scheduledEvent('2026-12-17T08:00:00Z')], env);
  expect(aws.published).toEqual([]);
});

it('sends alerts one by one up to the limit (DIGEST_AFTER)', async () => {
  const { results } = await invokeBundle(bundle, [scheduledEvent('2026-12-16T08:00:00Z')], {
    ...env,
    DIGEST_AFTER: '20',
  });
  expect(results[0]?.ok).toBe(true);
  expect(aws.published).toHaveLength(13);
  expect(aws.published.some((p) => p.attributes.alertType?.value === 'digest')).toBe(false);
});
