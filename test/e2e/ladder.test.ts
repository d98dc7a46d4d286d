/**
 * The severity ladder, through the bundle as it ships: a token created 2026-01-15 (it expires
 * 2027-01-15 00:00 UTC) with default settings, one scheduled run a day, gets exactly the 60-day
 * (info), 30-day and 7-day (warning) alerts, a warning reminder each day from 6 to 2 days left, a
 * critical alert with 1 day left (the only page before expiry), a critical expired alert, and
 * nothing else; every subject carries the expiry instant with its zone. The 7-day e-mail records
 * the new token with the AWS CLI alone, keeping the owner, after confirming provisioning works
 * and before deleting the old token.
 */

import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { addDays, isoDate } from '../../core/dates';
import { invokeBundle } from '../../tools/bundle';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';
import { documentedFilter, filterMatches } from '../support/sns-filter';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;

useMonitor({ registry: 'empty' });

it('sends 60 info, 30 and 7 warning, daily warnings from 6 to 2 days, a critical final day and a critical expiry, and nothing else', async () => {
  aws.put(
    `${prefix}okta-prod`,
    '{"createdAt":"2026-01-15","owner":"identity-team","identityProvider":"okta"}',
  );
  // From 2026-11-10 to 2027-01-18 (the weekly "still expired" reminder would come on 2027-01-22).
  const days = Array.from({ length: 70 }, (_, i) => addDays(new Date('2026-11-10T08:00:00Z'), i));
  const { results } = await invokeBundle(
    bundle,
    days.map((d) => scheduledEvent(d.toISOString())),
    env,
  );
  expect(results.every((r) => r.ok)).toBe(true);
  const sent = aws.published.map((p) => `${p.attributes.severity?.value} ${p.subject}`);
  const subject = (severity: string, what: string) =>
    `${severity} [${severity.toUpperCase()}] 123456789012: SCIM token okta-prod ${what} (2027-01-15 00:00 UTC)`;
  expect(sent).toEqual([
    subject('info', 'expires in 60 days'),
    subject('warning', 'expires in 30 days'),
    subject('warning', 'expires in 7 days'),
    subject('warning', 'expires in 6 days'),
    subject('warning', 'expires in 5 days'),
    subject('warning', 'expires in 4 days'),
    subject('warning', 'expires in 3 days'),
    subject('warning', 'expires in 2 days'),
    subject('critical', 'expires in 1 day'),
    subject('critical', 'has EXPIRED'),
  ]);
  // Each on its own day, once: 2026-11-16, 2026-12-16, then 2027-01-08 to 2027-01-15.
  expect(aws.events.map((e) => isoDate(new Date(JSON.parse(String(e.Detail)).evaluatedAt)))).toEqual([
    '2026-11-16',
    '2026-12-16',
    '2027-01-08',
    '2027-01-09',
    '2027-01-10',
    '2027-01-11',
    '2027-01-12',
    '2027-01-13',
    '2027-01-14',
    '2027-01-15',
  ]);

  // The 7-day e-mail: it can wait, and its steps are in the order people do them.
  const seven = JSON.parse(aws.published[2]?.message ?? '{}').email as string;
  expect(seven).toContain('This can wait for working hours: nothing breaks before 2027-01-15 00:00 UTC.');
  const put = seven.split('\n').find((l) => l.trim().startsWith('aws ssm put-parameter')) ?? '';
  expect(put).toContain('--region eu-west-1');
  expect(put).toContain('"owner":"identity-team"');
  const confirm = seven.indexOf('Confirm provisioning works with the new token');
  const record = seven.indexOf('aws ssm put-parameter');
  const remove = seven.indexOf('Only now delete the old token');
  expect(confirm).toBeGreaterThan(0);
  expect(confirm).toBeLessThan(record);
  expect(record).toBeLessThan(remove);
  // The final day says it cannot wait.
  const last = JSON.parse(aws.published[8]?.message ?? '{}').email as string;
  expect(last).toContain('This cannot wait: provisioning stops at 2027-01-15 00:00 UTC, within a day.');
  expect(last).toContain('Daily reminder 6');
});

it("delivers to each of the README's filter policies exactly the alerts it describes, every alert type through the bundle", async () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const pager = documentedFilter(readme, 'filter policy on your pager');
  const team = documentedFilter(readme, 'Send each team its own tokens');
  const lastWeek = documentedFilter(readme, 'Receive only the last week');
  aws.put(
    `${prefix}okta-prod`,
    '{"createdAt":"2026-01-15","owner":"identity-team","identityProvider":"okta"}',
  );
  aws.put(`${prefix}other-team`, '{"createdAt":"2026-01-15","owner":"payroll"}');
  aws.put(`${prefix}broken`, '{"createdAt":"2026-02-30","owner":"identity-team"}');
  const days = Array.from({ length: 70 }, (_, i) => addDays(new Date('2026-11-10T08:00:00Z'), i));
  await invokeBundle(
    bundle,
    days.map((d) => scheduledEvent(d.toISOString())),
    env,
  );
  const label = (p: (typeof aws.published)[number]) =>
    `${p.attributes.alertType?.value} ${p.attributes.tokenName?.value ?? ''} ${p.attributes.daysRemaining?.value ?? '-'}`;
  const okta = aws.published.filter((p) => p.attributes.tokenName?.value === 'okta-prod');
  // The pager: the final day and the expiry, nothing that can wait (a week's invalid registration
  // escalates to critical too: it has been unwatched for a week).
  expect(
    aws.published
      .filter((p) => filterMatches(pager, p.attributes) && p.attributes.tokenName?.value === 'okta-prod')
      .map(label),
  ).toEqual(['expiry-warning okta-prod 1', 'expired okta-prod 0']);
  // The team's: its own token's alerts only (an unreadable registration has no owner to route by:
  // it reaches the unfiltered subscribers).
  expect(
    new Set(
      aws.published
        .filter((p) => filterMatches(team, p.attributes))
        .map((p) => p.attributes.tokenName?.value),
    ),
  ).toEqual(new Set(['okta-prod']));
  // The last week: 7 days, each daily reminder, the final day and the expiry; not 60 or 30 days,
  // and nothing without days (the invalid registration).
  expect(okta.filter((p) => filterMatches(lastWeek, p.attributes)).map(label)).toEqual([
    'expiry-warning okta-prod 7',
    'expiry-warning okta-prod 6',
    'expiry-warning okta-prod 5',
    'expiry-warning okta-prod 4',
    'expiry-warning okta-prod 3',
    'expiry-warning okta-prod 2',
    'expiry-warning okta-prod 1',
    'expired okta-prod 0',
  ]);
  expect(
    aws.published
      .filter((p) => p.attributes.tokenName?.value === 'broken')
      .some((p) => filterMatches(lastWeek, p.attributes)),
  ).toBe(false);
  // Every alert about a token carries its days left and its threshold.
  for (const p of aws.published.filter((x) =>
    /expiry-warning|expired/.test(x.attributes.alertType?.value ?? ''),
  )) {
    expect(p.attributes.daysRemaining?.dataType).toBe('Number');
    expect(p.attributes.threshold?.dataType).toBe('Number');
  }
});
