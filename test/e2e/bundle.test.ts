/**
 * The synthesized Lambda bundle, run in a fresh Node process against a local endpoint that
 * speaks the real AWS wire protocols: it sends the specified alerts and nothing more.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { addDays, isoDate } from '../../core/dates';
import { invokeBundle } from '../../tools/bundle';
import healthEvent from '../fixtures/health-scim-expiry.json';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';
import { documentedFilter, filterMatches } from '../support/sns-filter';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;

useMonitor();

async function ledgerState(key: string): Promise<string> {
  const item = (await aws.dynamodb.items()).find((i) => i.pk?.S === `state#${key}`);
  return String(item?.state?.S ?? '{}');
}

function subjects() {
  return aws.published.map((p) => p.subject);
}

describe('the synthesized bundle', () => {
  it('sends the due alerts with JSON structure, copies them to EventBridge, and records state', async () => {
    // Act
    const {
      results: [run],
      logs,
    } = await invokeBundle(bundle, [scheduledEvent('2026-11-16T08:00:00Z')], env);
    // Assess: metrics in the Embedded Metric Format, and one log line per token
    const emf = logs.filter((l) => '_aws' in l);
    // A fixed set of metrics whatever the registry's size: no per-token metric unless asked for.
    expect(emf).toEqual([
      expect.objectContaining({
        TokensMonitored: 3,
        InvalidRegistrations: 1,
        AlertsSent: 2,
        RunSucceeded: 1,
        MinDaysToExpiry: 60,
        TokensWithin60Days: 1,
        TokensWithin30Days: 0,
        TokensWithin7Days: 0,
        TokensExpired: 0,
      }),
    ]);
    expect(JSON.stringify(emf)).not.toContain('ProbesInconclusive');
    const perToken = await invokeBundle(bundle, [scheduledEvent('2026-11-16T08:00:00Z')], {
      ...env,
      TOKEN_METRICS: 'true',
    });
    expect(perToken.logs.filter((l) => '_aws' in l)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ TokenName: 'okta-prod', DaysToExpiry: 60 }),
        expect.objectContaining({ TokenName: 'prod/vault', DaysToExpiry: 65 }),
      ]),
    );
    // The dimensions the alarms and the dashboard query.
    const dimensions = [...emf, ...perToken.logs.filter((l) => '_aws' in l)].map(
      (l) =>
        (l._aws as { CloudWatchMetrics: Array<{ Namespace: string; Dimensions: string[][] }> })
          .CloudWatchMetrics[0],
    );
    expect(dimensions).toContainEqual({
      Namespace: 'ScimTokenMonitor',
      Dimensions: [['service', 'FunctionName', 'TokenName']],
      Metrics: expect.anything(),
    });
    expect(dimensions).toContainEqual({
      Namespace: 'ScimTokenMonitor',
      Dimensions: [['service', 'FunctionName']],
      Metrics: expect.anything(),
    });
    expect(
      emf.every(
        (l) => l.FunctionName === 'ScimTokenMonitor-MonitorFunction' && l.service === 'scim-token-monitor',
      ),
    ).toBe(true);
    // One line per token: quiet ones as the registry is read, the others once decided.
    expect(
      logs
        .filter((l) => l.message === 'token evaluated')
        .map((l) => l.tokenName)
        .sort(),
    ).toEqual(['entra', 'okta-prod', 'prod/vault']);
    expect(JSON.stringify(logs)).not.toContain('the-secret-token-value');
    expect(run).toMatchObject({
      ok: true,
      result: { tokensMonitored: 3, invalidRegistrations: 1, alertsSent: 2, failures: 0 },
    });
    expect(subjects()).toEqual([
      '[WARNING] 123456789012: SCIM token registration broken is invalid: not monitored',
      '[INFO] 123456789012: SCIM token okta-prod expires in 60 days (2027-01-15 00:00 UTC)',
    ]);
    const okta = aws.published[1];
    expect(okta?.messageStructure).toBe('json');
    expect(okta?.attributes).toEqual({
      alertType: { dataType: 'String', value: 'expiry-warning' },
      severity: { dataType: 'String', value: 'info' },
      tokenName: { dataType: 'String', value: 'okta-prod' },
      identityProvider: { dataType: 'String', value: 'okta' },
      daysRemaining: { dataType: 'Number', value: '60' },
      threshold: { dataType: 'Number', value: '60' },
    });
    const body = JSON.parse(okta?.message ?? '{}') as Record<string, string>;
    expect(body.email).toContain('Generate new token');
    expect(JSON.parse(body.sqs ?? '{}')).toMatchObject({
      tokenId: 'tok-okta',
      instance: { identityStoreId: 'd-1234567890' },
    });
    expect(aws.events.map((e) => [e.Source, e.DetailType])).toEqual([
      ['scim-token-monitor', 'SCIM Token Expiry Alert'],
      ['scim-token-monitor', 'SCIM Token Expiry Alert'],
    ]);
    // State and delivery records live in the ledger, not beside the registrations.
    const keys = (await aws.dynamodb.items()).map((i) => String(i.pk?.S)).sort();
    expect(keys.filter((k) => k.startsWith('state#'))).toEqual([
      // Once per deployment: a scheduled run has completed (see functions/monitor/run.ts), and
      // the alert topic's confirmed subscriptions, written again only when their number changes.
      'state#monitor',
      'state#subscribers',
      'state#token/broken',
      'state#token/okta-prod',
    ]);
    expect(keys.filter((k) => k.startsWith('delivery#'))).toHaveLength(2);
    expect([...aws.parameters.keys()].every((k) => k.startsWith(prefix))).toBe(true);
  });

  it('never asks for a decrypted value and never lets a secret into an alert', async () => {
    await invokeBundle(bundle, [scheduledEvent('2027-01-14T08:00:00Z')], env);
    expect(aws.calls.every((c) => c.input.WithDecryption !== true)).toBe(true);
    expect(subjects()).toContain(
      '[WARNING] 123456789012: SCIM token prod/vault expires in 6 days (2027-01-20 10:00 UTC)',
    );
    expect(JSON.stringify(aws.published)).not.toContain('the-secret-token-value');
    expect(JSON.stringify(aws.published)).not.toContain('ciphertext');
  });

  it('does not alert twice when Lambda retries the same event, and writes nothing on a quiet day', async () => {
    const retried = { event: scheduledEvent('2026-11-16T08:00:00Z'), requestId: 'req-1' };
    const { results } = await invokeBundle(
      bundle,
      [retried, retried, scheduledEvent('2026-11-17T08:00:00Z')],
      env,
    );
    expect(results.map((r) => r.result?.alertsSent)).toEqual([2, 0, 0]);
    // The two alerts' state; and once, the records that a scheduled run completed and of the
    // topic's subscriptions.
    expect(aws.count('dynamodb:PutItem')).toBe(4);
    expect(aws.count('ssm:PutParameter')).toBe(0);
  });

  it('over ten weeks of daily runs, sends exactly the specified alerts on the specified days', async () => {
    const days = Array.from({ length: 71 }, (_, i) => addDays(new Date('2026-11-16T08:00:00Z'), i));
    const { results } = await invokeBundle(
      bundle,
      days.map((d) => scheduledEvent(d.toISOString())),
      env,
    );
    expect(results.every((r) => r.ok)).toBe(true);
    const sentOn = results.flatMap((r, i) =>
      Number(r.result?.alertsSent) > 0 ? [isoDate(days[i] as Date)] : [],
    );
    // The invalid registration: reported, then reminded weekly as critical (ten weeks: ten reminders).
    const broken = subjects().filter((s) => s?.includes('registration broken'));
    expect(broken[0]).toBe(
      '[WARNING] 123456789012: SCIM token registration broken is invalid: not monitored',
    );
    expect(broken.slice(1)).toEqual(
      Array(10).fill(
        '[CRITICAL] 123456789012: SCIM token registration broken is STILL invalid: not monitored',
      ),
    );
    const okta = (severity: string, what: string) =>
      `[${severity}] 123456789012: SCIM token okta-prod ${what} (2027-01-15 00:00 UTC)`;
    const vault = (severity: string, what: string) =>
      `[${severity}] 123456789012: SCIM token prod/vault ${what} (2027-01-20 10:00 UTC)`;
    expect(subjects().filter((s) => !s?.includes('registration broken'))).toEqual([
      okta('INFO', 'expires in 60 days'),
      vault('INFO', 'expires in 60 days'),
      okta('WARNING', 'expires in 30 days'),
      vault('WARNING', 'expires in 30 days'),
      okta('WARNING', 'expires in 7 days'),
      okta('WARNING', 'expires in 6 days'),
      okta('WARNING', 'expires in 5 days'),
      okta('WARNING', 'expires in 4 days'),
      okta('WARNING', 'expires in 3 days'),
      okta('WARNING', 'expires in 2 days'),
      vault('WARNING', 'expires in 7 days'),
      okta('CRITICAL', 'expires in 1 day'),
      vault('WARNING', 'expires in 6 days'),
      okta('CRITICAL', 'has EXPIRED'),
      vault('WARNING', 'expires in 5 days'),
      vault('WARNING', 'expires in 4 days'),
      vault('WARNING', 'expires in 3 days'),
      vault('WARNING', 'expires in 2 days'),
      vault('CRITICAL', 'expires in 1 day'),
      vault('CRITICAL', 'has EXPIRED'),
      '[CRITICAL] 123456789012: SCIM token okta-prod is STILL EXPIRED (since 2027-01-15 00:00 UTC)',
    ]);
    // The vault token expires at 10:00 UTC on 2027-01-20: the 08:00 run that day sees it still valid
    // (no day left to remind of, not expired yet).
    expect(
      sentOn.filter((d) => !d.match(/^(2026-11-(23|30)|2026-12-(07|14|28)|2027-01-(04|18|25))$/)),
    ).toEqual([
      '2026-11-16',
      '2026-11-21',
      '2026-12-16',
      '2026-12-21',
      '2027-01-08',
      '2027-01-09',
      '2027-01-10',
      '2027-01-11',
      '2027-01-12',
      '2027-01-13',
      '2027-01-14',
      '2027-01-15',
      '2027-01-16',
      '2027-01-17',
      '2027-01-19',
      '2027-01-21',
      '2027-01-22',
    ]);
    // One state write per alert, and no other write on any day but the first run's two records.
    const sent = results.reduce((n, r) => n + Number(r.result?.alertsSent ?? 0), 0);
    expect(aws.count('dynamodb:PutItem')).toBe(sent + 2);
  });

  it('starts a new lifecycle when a token is rotated, says so once, and alerts again only when due', async () => {
    await invokeBundle(bundle, [scheduledEvent('2027-01-08T08:00:00Z')], env);
    aws.resetRecords();
    // Rotated on 2027-01-09: the new token expires 2028-01-09.
    aws.put(
      `${prefix}okta-prod`,
      '{"createdAt":"2027-01-09","tokenId":"tok-okta-2","identityProvider":"okta"}',
      'String',
      new Date('2027-01-09T10:00:00Z'),
    );
    const { results } = await invokeBundle(
      bundle,
      [scheduledEvent('2027-01-10T08:00:00Z'), scheduledEvent('2027-11-10T08:00:00Z')],
      env,
    );
    expect(results.every((r) => r.ok)).toBe(true);
    // The rotation is said once (it closes what the old token's alerts opened), then nothing
    // until the new token's own 60-day alert.
    expect(subjects().filter((s) => s?.includes('okta-prod'))).toEqual([
      '[INFO] 123456789012: SCIM token okta-prod rotated: now expires 2028-01-09 00:00 UTC',
      '[INFO] 123456789012: SCIM token okta-prod expires in 60 days (2028-01-09 00:00 UTC)',
    ]);
  });

  it('warns once when nothing is registered', async () => {
    aws.parameters.clear();
    const { results } = await invokeBundle(
      bundle,
      [scheduledEvent('2026-11-16T08:00:00Z'), scheduledEvent('2026-11-17T08:00:00Z')],
      env,
    );
    expect(results.map((r) => r.result?.alertsSent)).toEqual([1, 0]);
    expect(subjects()).toEqual([
      '[WARNING] 123456789012: SCIM token monitor: no tokens registered, nothing is monitored',
    ]);
  });

  it('keeps working when IAM Identity Center cannot be asked', async () => {
    aws.fault = (call) =>
      call.action === 'sso:ListInstances' ? { status: 400, code: 'AccessDeniedException' } : undefined;
    try {
      const {
        results: [run],
      } = await invokeBundle(bundle, [scheduledEvent('2026-11-16T08:00:00Z')], env);
      expect(run).toMatchObject({ ok: true, result: { alertsSent: 2 } });
    } finally {
      aws.fault = undefined;
    }
  });

  it("routes each team's tokens to it: owner and identity provider are message attributes the README's filter matches", async () => {
    aws.put(
      `${prefix}okta-prod`,
      '{"createdAt":"2026-01-15","identityProvider":"Okta","owner":"identity-team"}',
    );
    aws.put(
      `${prefix}entra`,
      '{"createdAt":"2026-01-16","identityProvider":"azure-ad","owner":"workplace-team"}',
    );
    const { results } = await invokeBundle(bundle, [scheduledEvent('2026-11-17T08:00:00Z')], env);
    expect(results[0]?.ok).toBe(true);
    const byToken = Object.fromEntries(
      aws.published.map((p) => [p.attributes.tokenName?.value, p.attributes]),
    );
    expect(byToken['okta-prod']).toMatchObject({
      owner: { dataType: 'String', value: 'identity-team' },
      identityProvider: { dataType: 'String', value: 'okta' },
    });
    expect(byToken.entra?.identityProvider?.value).toBe('entra-id');
    const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
    const filter = documentedFilter(readme, 'Send each team its own tokens');
    expect(filter).toEqual({ owner: ['identity-team'] });
    const received = aws.published.filter((p) => filterMatches(filter, p.attributes));
    expect(received.map((p) => p.attributes.tokenName?.value)).toEqual(['okta-prod']);
  });

  describe('AWS Health notices', () => {
    const later = (days: number) => ({
      ...healthEvent,
      id: `repeat-${days}`,
      time: addDays(new Date(healthEvent.time), days).toISOString(),
    });

    it('adopt an expiry no registration matches, with one unregistered-token alert, never repeated', async () => {
      // The fixture announces 2027-01-15 10:30 UTC; okta-prod (expiring 2027-01-15) matches it: drop it.
      aws.parameters.delete(`${prefix}okta-prod`);
      const { results } = await invokeBundle(bundle, [healthEvent, healthEvent, later(7), later(14)], env);
      expect(results.map((r) => r.ok)).toEqual([true, true, true, true]);
      expect(subjects()).toEqual([
        '[WARNING] 123456789012: Unregistered SCIM token expires in 89 days (2027-01-15 10:30 UTC)',
      ]);
      expect(aws.published[0]?.attributes.alertType).toEqual({
        dataType: 'String',
        value: 'unregistered-token',
      });
      expect(JSON.parse(await ledgerState('health/2027-01-15'))).toMatchObject({
        matchedToken: null,
        alertedSeverity: 'warning',
      });
      expect(JSON.parse(await ledgerState('adopted'))).toEqual({
        'aws-health@2027-01-15T10:30Z': expect.objectContaining({
          expiresAt: '2027-01-15T10:30:00.000Z',
          eventArn: healthEvent.detail.eventArn,
          account: '123456789012',
          region: 'eu-west-1',
        }),
      });
      // The health record and the adoption, once; repeats write nothing. Health notices are not
      // scheduled runs: they emit no RunSucceeded, so they cannot hide a dead schedule.
      expect(aws.count('dynamodb:PutItem')).toBe(2);
    });

    it('record a matching registration as confirmed, once, and alert nobody', async () => {
      const { results, logs } = await invokeBundle(bundle, [healthEvent, later(7)], env);
      expect(results.map((r) => r.result?.outcome)).toEqual(['confirmed', 'unchanged']);
      expect(subjects()).toEqual([]);
      expect(JSON.parse(await ledgerState('health/2027-01-15'))).toMatchObject({ matchedToken: 'okta-prod' });
      expect(aws.count('dynamodb:PutItem')).toBe(1);
      expect(logs.some((l) => '_aws' in l)).toBe(false);
    });

    it('ignore another kind of event, and alert once about a SCIM notice they cannot read', async () => {
      const { results } = await invokeBundle(
        bundle,
        [
          { ...healthEvent, detail: { ...healthEvent.detail, eventTypeCode: 'AWS_EC2_OPERATIONAL_ISSUE' } },
          {
            ...healthEvent,
            detail: {
              ...healthEvent.detail,
              eventDescription: [{ language: 'en_US', latestDescription: 'soon' }],
            },
          },
          { source: 'aws.health', 'detail-type': 'AWS Health Event', detail: 'garbage' },
        ],
        env,
      );
      expect(results.map((r) => [r.ok, r.result?.outcome])).toEqual([
        [true, 'ignored'],
        [true, 'unreadable'],
        [true, 'ignored'],
      ]);
      // If AWS changes its wording, the safety net says so instead of switching off unseen.
      expect(subjects()).toEqual([
        '[WARNING] 123456789012: AWS Health: a SCIM token notice the monitor could not read',
      ]);
      const text = JSON.parse(aws.published[0]?.message ?? '{}').email as string;
      expect(text).toContain('AWS Health said: soon');
      // Once per AWS Health event: the same notice again sends nothing.
      aws.resetRecords();
      const unreadable = {
        ...healthEvent,
        detail: {
          ...healthEvent.detail,
          eventDescription: [{ language: 'en_US', latestDescription: 'soon' }],
        },
      };
      const again = await invokeBundle(bundle, [unreadable], env);
      expect(again.results[0]?.result?.outcome).toBe('unreadable');
      expect(aws.published).toEqual([]);
    });
  });
});
