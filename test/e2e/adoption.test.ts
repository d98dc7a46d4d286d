/**
 * Zero-touch, through the synthesized bundle: with nothing registered, AWS Health's notices at
 * AWS's cadence (weekly from 90 days, twice a week from 60, three times a week from 30, daily from
 * 15; each delivered twice, plus the us-west-2 backup copies) and the daily schedule lead to the
 * 60, 30 and 7-day and the expired alerts on their dates, once each, also when an operator
 * registers the token halfway through.
 */
import { isoDate } from '../../core/dates';
import { invokeBundle } from '../../tools/bundle';
import healthEvent from '../fixtures/health-scim-expiry.json';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;
/** What the fixture announces. */
const EXPIRY = new Date('2027-01-15T10:30:00Z');

useMonitor({ registry: 'empty' });

/** Days before the expiry on which AWS Health renews its notice (AWS's documented cadence). */
function noticeDays(): number[] {
  const days: number[] = [];
  for (let d = 90; d > 60; d -= 7) days.push(d);
  for (let d = 60; d > 30; d -= 3.5) days.push(Math.round(d));
  for (let d = 30; d > 15; d -= 2.33) days.push(Math.round(d));
  for (let d = 15; d >= 1; d--) days.push(d);
  return [...new Set(days)];
}

function notice(daysBefore: number, copy: 'first' | 'duplicate' | 'backup') {
  const at = new Date(EXPIRY.getTime() - daysBefore * 86_400_000);
  const day = isoDate(at);
  const region = copy === 'backup' ? 'us-west-2' : 'eu-west-1';
  return {
    event: {
      ...healthEvent,
      id: `${day}-${copy}`,
      region,
      time: `${day}T09:00:00Z`,
      detail: {
        ...healthEvent.detail,
        eventArn: healthEvent.detail.eventArn.replace('eu-west-1', region),
        ...(copy === 'backup' ? { backupEvent: true } : {}),
      },
    },
    clock: `${day}T09:00:05Z`,
  };
}

/** Every day's schedule at 08:00 and that day's notices (each twice, and its backup copy), in order. */
function timeline(fromDaysBefore: number, toDaysAfter: number) {
  const notices = new Set(noticeDays());
  const items = [];
  for (let d = fromDaysBefore; d >= -toDaysAfter; d--) {
    const day = isoDate(new Date(EXPIRY.getTime() - d * 86_400_000));
    items.push({ event: scheduledEvent(`${day}T08:00:00Z`) });
    if (notices.has(d)) items.push(notice(d, 'first'), notice(d, 'duplicate'), notice(d, 'backup'));
  }
  return items;
}

/** The alerts sent: type, token, threshold and the day it was evaluated. */
function sent() {
  return aws.published.map((p) => {
    const payload = JSON.parse(JSON.parse(p.message).sqs) as Record<string, unknown>;
    return [
      p.attributes.alertType?.value,
      p.attributes.tokenName?.value,
      p.attributes.threshold?.value ?? null,
      String(payload.evaluatedAt).slice(0, 10),
    ];
  });
}

describe('a token nobody registered, announced by AWS Health', () => {
  it('gets its 60, 30 and 7-day alerts, its daily reminders and its expired alert on their dates, once each', async () => {
    const { results } = await invokeBundle(bundle, timeline(91, 1), env);
    expect(results.every((r) => r.ok)).toBe(true);
    const adopted = 'aws-health@2027-01-15T10:30Z';
    expect(sent()).toEqual([
      // Before AWS says anything, nothing is registered: the monitor says so, once.
      ['no-tokens', undefined, null, '2026-10-16'],
      ['unregistered-token', undefined, null, '2026-10-17'],
      ['expiry-warning', adopted, '60', '2026-11-16'],
      ['expiry-warning', adopted, '30', '2026-12-16'],
      ['expiry-warning', adopted, '7', '2027-01-08'],
      // The daily reminders until the final day (the adopted token is watched like any other).
      ...['09', '10', '11', '12', '13', '14'].map((d) => ['expiry-warning', adopted, '7', `2027-01-${d}`]),
      ['expired', adopted, '0', '2027-01-16'],
    ]);
    // One EventBridge copy of each.
    expect(aws.events).toHaveLength(12);
  });

  it('hands over to an operator who registers it halfway, with no alert repeated', async () => {
    const first = await invokeBundle(bundle, timeline(91, -46), env);
    expect(first.results.every((r) => r.ok)).toBe(true);
    // 45 days before: the operator registers the token (dated by its creation day).
    aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-01-15","identityProvider":"okta","owner":"platform"}');
    const second = await invokeBundle(bundle, timeline(45, 1), env);
    expect(second.results.every((r) => r.ok)).toBe(true);
    expect(sent()).toEqual([
      ['no-tokens', undefined, null, '2026-10-16'],
      ['unregistered-token', undefined, null, '2026-10-17'],
      ['expiry-warning', 'aws-health@2027-01-15T10:30Z', '60', '2026-11-16'],
      ['expiry-warning', 'okta-prod', '30', '2026-12-16'],
      ['expiry-warning', 'okta-prod', '7', '2027-01-08'],
      ...['09', '10', '11', '12', '13', '14'].map((d) => [
        'expiry-warning',
        'okta-prod',
        '7',
        `2027-01-${d}`,
      ]),
      ['expired', 'okta-prod', '0', '2027-01-15'],
    ]);
  });
});
