/**
 * What kind of invocation this is, and which instant it evaluates. Only a genuine EventBridge
 * scheduled event sets the instant (so Lambda's retries of it decide the same): its `time` is
 * never in the future and at most a day old. Every other invocation sends nothing and writes
 * nothing (a dry run that logs what it would send):
 * - one that asks for another date (a replay, a typo in a year) evaluates that date, so it can
 *   neither send a false alert nor mark a future one done;
 * - one with no date (the deploy-time check, a manual `aws lambda invoke`) evaluates now: it proves
 *   the deployment reads what it must, without spending alerts before anyone could have confirmed
 *   a subscription. The first scheduled run sends them. It does not count as a run for the "not
 *   run" alarm, except on a fresh deployment (see run.ts).
 */

import { HEALTH_EVENTS, SCHEDULED_EVENTS } from '../../core/contract';

/** The events the function receives: scheduled, AWS Health, or whatever someone invokes it with. */
export interface MonitorEvent {
  readonly time?: string;
  readonly id?: string;
  readonly source?: string;
  readonly 'detail-type'?: string;
}

export interface InvocationMode {
  readonly kind: 'scheduled' | 'manual' | 'replay' | 'health';
  readonly at: Date;
  readonly dryRun: boolean;
}

/** A scheduled event may reach the function late (Lambda retries it for up to six hours). */
const MAX_SCHEDULED_AGE_MS = 24 * 3_600_000;
/** Clocks differ a little between EventBridge and Lambda. */
const MAX_CLOCK_SKEW_MS = 5 * 60_000;

export function invocationMode(event: MonitorEvent | undefined, clock: Date): InvocationMode {
  if (event?.source === HEALTH_EVENTS.source) return { kind: 'health', at: clock, dryRun: false };
  if (event?.time === undefined) return { kind: 'manual', at: clock, dryRun: true };
  const time = new Date(event.time);
  if (Number.isNaN(time.getTime())) return { kind: 'replay', at: clock, dryRun: true };
  const age = clock.getTime() - time.getTime();
  const scheduled =
    (event.source === SCHEDULED_EVENTS.ruleSource || event.source === SCHEDULED_EVENTS.schedulerSource) &&
    event['detail-type'] === SCHEDULED_EVENTS.detailType;
  if (scheduled && age >= -MAX_CLOCK_SKEW_MS && age <= MAX_SCHEDULED_AGE_MS) {
    return { kind: 'scheduled', at: time, dryRun: false };
  }
  return { kind: 'replay', at: time, dryRun: true };
}
