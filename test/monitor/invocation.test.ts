/** Which instant an invocation evaluates, and whether it sends (functions/monitor/invocation.ts). */
import { invocationMode } from '../../functions/monitor/invocation';
import { scheduledEvent } from '../support/env';

const CLOCK = new Date('2026-11-16T08:00:05Z');

describe('invocationMode', () => {
  it.each([
    ['a scheduled event on time', scheduledEvent('2026-11-16T08:00:00Z'), 'scheduled', false],
    [
      'a scheduled event Lambda retried hours later',
      scheduledEvent('2026-11-15T20:00:00Z'),
      'scheduled',
      false,
    ],
    ['a scheduled event more than a day old', scheduledEvent('2026-11-14T08:00:00Z'), 'replay', true],
    ['a scheduled event from the future', scheduledEvent('2026-11-16T09:00:00Z'), 'replay', true],
    ['a hand-made event with a date', { time: '2027-01-08T08:00:00Z' }, 'replay', true],
    ['a hand-made event with a bad date', { time: 'tomorrow' }, 'replay', true],
    ['no event (the deploy-time check, a manual invoke)', {}, 'manual', true],
    ['an AWS Health notice', { source: 'aws.health', time: '2026-10-18T09:00:00Z' }, 'health', false],
    // What the construct's EventBridge Scheduler schedule sends (scheduleTimeZone).
    [
      'a Scheduler run in a time zone',
      { source: 'aws.scheduler', 'detail-type': 'Scheduled Event', time: '2026-11-16T08:00:00Z', id: 'x' },
      'scheduled',
      false,
    ],
  ])('%s: %s', (_, event, kind, dryRun) => {
    expect(invocationMode(event, CLOCK)).toMatchObject({ kind, dryRun });
  });

  it('evaluates a scheduled run at its event time, so Lambda retries decide the same', () => {
    expect(invocationMode(scheduledEvent('2026-11-15T20:00:00Z'), CLOCK).at).toEqual(
      new Date('2026-11-15T20:00:00Z'),
    );
    expect(invocationMode({}, CLOCK).at).toEqual(CLOCK);
  });
});
