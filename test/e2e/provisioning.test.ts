/**
 * Provisioning observed, through the bundle as it ships and the CLI as it spawns, against the
 * stand-in serving CloudTrail's Event history for the instance's region: the run records the last
 * successful SCIM call and the failures since; the expired alert names when provisioning last
 * succeeded; `status --json` reports it and shows the token whose ID made the calls in use; a
 * window of more than 1,000 calls stays within the page budget, paced under the API's rate; and
 * with the feature off no CloudTrail call is made.
 */
import { PROVISIONING_STATE_KEY, SCIM_EVENT_SOURCE } from '../../core/provisioning';
import { invokeBundle } from '../../tools/bundle';
import type { FakeAws } from '../../tools/fake-aws';
import { awsEnv, bin } from '../support/bin';
import { deploy } from '../support/deployment';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;
const TENANT = 'tenant-123';
const observed = () => ({ ...env, OBSERVE_PROVISIONING: 'true' });

useMonitor({ registry: 'empty' });

/** A SCIM call as IAM Identity Center logs it (bodies masked), in `region`. */
function scimCall(
  fake: FakeAws,
  at: string,
  eventName: string,
  opts: { errorCode?: string; errorMessage?: string; accessKeyId?: string; region?: string } = {},
) {
  fake.cloudTrail.record({
    eventTime: at,
    eventSource: SCIM_EVENT_SOURCE,
    eventName,
    awsRegion: opts.region ?? 'eu-west-1',
    eventVersion: '1.08',
    userIdentity: { type: 'Unknown', accountId: '123456789012', accessKeyId: opts.accessKeyId ?? 'tok-okta' },
    requestParameters: { tenantId: TENANT, httpBody: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    responseElements: null,
    ...(opts.errorCode ? { errorCode: opts.errorCode, errorMessage: opts.errorMessage } : {}),
  });
}

/** The provisioning record in the stand-in's ledger, if any. */
async function ledgerRecord(fake: FakeAws): Promise<string | undefined> {
  const item = (await fake.dynamodb.items()).find((i) => i.pk?.S === `state#${PROVISIONING_STATE_KEY}`);
  return item?.state?.S as string | undefined;
}

beforeEach(() => {
  aws.cloudTrail.events.length = 0;
  aws.cloudTrail.throttled = 0;
});

it('records the last success and the failures since; the expired alert names its time; status --json reports them', async () => {
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-01-15","tokenId":"tok-okta","identityProvider":"okta"}');
  for (let h = 8; h <= 14; h++) scimCall(aws, `2027-01-14T${String(h).padStart(2, '0')}:02:11Z`, 'PatchUser');
  scimCall(aws, '2027-01-14T16:00:00Z', 'CreateUser', {
    errorCode: 'ValidationException',
    errorMessage: 'List attribute emails exceeds allowed limit of 1',
  });
  scimCall(aws, '2027-01-14T17:00:00Z', 'PatchGroup', {
    errorCode: 'ValidationException',
    errorMessage: 'Missing path in PATCH request',
  });
  scimCall(aws, '2027-01-14T18:00:00Z', 'CreateGroup', {
    errorCode: 'ConflictException',
    errorMessage: 'Duplicate GroupDisplayName',
  });
  // Another region's calls are another instance's: never read.
  scimCall(aws, '2027-01-14T20:00:00Z', 'PatchUser', { region: 'us-east-1', accessKeyId: 'other' });

  const { results } = await invokeBundle(bundle, [scheduledEvent('2027-01-15T08:00:00Z')], observed());
  expect(results.map((r) => r.ok)).toEqual([true]);
  expect(aws.count('cloudtrail:LookupEvents')).toBe(1);
  const lookup = aws.calls.find((c) => c.action === 'cloudtrail:LookupEvents')?.input ?? {};
  expect(lookup).toMatchObject({
    LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'identitystore-scim.amazonaws.com' }],
    MaxResults: 50,
  });

  // The expired alert says when provisioning last succeeded.
  const expired = aws.published.find((p) => p.subject?.includes('EXPIRED'));
  const email = JSON.parse(expired?.message ?? '{}').email as string;
  expect(email).toContain(
    "Provisioning last succeeded at 2027-01-14 14:02 UTC (PatchUser), by CloudTrail's record of SCIM calls",
  );

  // The record: the last success, failures by code since, the access key seen; nothing else.
  const record = JSON.parse((await ledgerRecord(aws)) ?? '{}');
  expect(record.tenants[TENANT]).toEqual({
    lastCall: { at: '2027-01-14T18:00:00.000Z', operation: 'CreateGroup' },
    lastSuccess: { at: '2027-01-14T14:02:11.000Z', operation: 'PatchUser' },
    failures: {
      ValidationException: {
        sinceSuccess: 2,
        total: 2,
        last: { at: '2027-01-14T17:00:00.000Z', operation: 'PatchGroup' },
        lastMessage: 'Missing path in PATCH request',
      },
      ConflictException: {
        sinceSuccess: 1,
        total: 1,
        last: { at: '2027-01-14T18:00:00.000Z', operation: 'CreateGroup' },
        lastMessage: 'Duplicate GroupDisplayName',
      },
    },
    accessKeys: { 'tok-okta': '2027-01-14T18:00:00.000Z' },
  });
  expect(JSON.stringify(record)).not.toContain('HIDDEN_DUE_TO_SECURITY_REASONS');

  // The spawned CLI, against the deployment as the construct publishes it.
  deploy(aws);
  const cli = await bin(['status', '--json', '--at', '2027-01-15'], {
    env: awsEnv(env.AWS_ENDPOINT_URL as string),
  });
  const status = JSON.parse(cli.stdout);
  expect(status.provisioning).toMatchObject({
    tenantId: TENANT,
    lastSuccess: { at: '2027-01-14T14:02:11.000Z', operation: 'PatchUser' },
    failuresSinceSuccess: 3,
    failures: [
      expect.objectContaining({ code: 'ValidationException', sinceSuccess: 2 }),
      expect.objectContaining({ code: 'ConflictException', sinceSuccess: 1 }),
    ],
  });
  expect(status.tokens[0]).toMatchObject({
    name: 'okta-prod',
    provisioning: { lastUsed: '2027-01-14T18:00:00.000Z' },
  });
  const text = await bin(['status', '--at', '2027-01-15'], { env: awsEnv(env.AWS_ENDPOINT_URL as string) });
  expect(text.stdout).toContain(
    'provisioning: last success 2027-01-14 14:02 UTC (PatchUser); 3 failed calls since: ValidationException ×2',
  );
  expect(text.stdout).toContain('okta-prod: in use (token ID tok-okta), last SCIM call 2027-01-14 18:00 UTC');

  // doctor warns while calls fail since the last success.
  const doctor = await bin(['doctor', '--json'], { env: awsEnv(env.AWS_ENDPOINT_URL as string) });
  expect(JSON.parse(doctor.stdout).checks).toContainEqual({
    check: 'Provisioning',
    verdict: 'warn',
    detail: expect.stringMatching(/^last success 2027-01-14 14:02 UTC \(PatchUser\); 3 failed calls since/),
  });

  // The next run reads only what came after: no event counted twice.
  scimCall(aws, '2027-01-15T09:00:00Z', 'PatchUser');
  await invokeBundle(bundle, [scheduledEvent('2027-01-16T08:00:00Z')], observed());
  const next = JSON.parse((await ledgerRecord(aws)) ?? '{}').tenants[TENANT];
  expect(next.lastSuccess).toEqual({ at: '2027-01-15T09:00:00.000Z', operation: 'PatchUser' });
  expect(next.failures.ValidationException).toMatchObject({ sinceSuccess: 0, total: 2 });
});

it('reads more than 1,000 calls within the page budget and the run time, paced under the rate limit', async () => {
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-06-01","identityProvider":"okta"}');
  const start = Date.parse('2027-01-14T00:00:00Z');
  for (let i = 0; i < 1_200; i++) scimCall(aws, new Date(start + i * 60_000).toISOString(), 'GetUser');
  const { results, logs } = await invokeBundle(bundle, [scheduledEvent('2027-01-15T08:00:00Z')], observed());
  expect(results.map((r) => r.ok)).toEqual([true]);
  // 10 pages of 50, the newest first; never throttled.
  expect(aws.count('cloudtrail:LookupEvents')).toBe(10);
  expect(aws.cloudTrail.throttled).toBe(0);
  // 2 requests a second: 10 pages take at least 4.5 s, and the run stays far within its budget.
  expect(results[0]?.ms).toBeGreaterThanOrEqual(4_500);
  expect(results[0]?.ms).toBeLessThan(30_000);
  const record = JSON.parse((await ledgerRecord(aws)) ?? '{}');
  expect(record.tenants[TENANT].lastCall.at).toBe(new Date(start + 1_199 * 60_000).toISOString());
  // The 500 newest were read (from call 700 on): everything before that second was not.
  expect(record.cut).toEqual({
    from: expect.any(String),
    to: new Date(start + 700 * 60_000 - 1000).toISOString(),
  });
  expect(logs.find((l) => l.message === 'SCIM calls read from CloudTrail')).toMatchObject({
    calls: 500,
    pages: 10,
    complete: false,
  });
});

it('makes no CloudTrail call with the feature off', async () => {
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-01-15","identityProvider":"okta"}');
  scimCall(aws, '2027-01-14T08:00:00Z', 'PatchUser');
  const { results } = await invokeBundle(bundle, [scheduledEvent('2027-01-15T08:00:00Z')], {
    ...env,
    OBSERVE_PROVISIONING: 'false',
  });
  expect(results.map((r) => r.ok)).toEqual([true]);
  expect(aws.count('cloudtrail:LookupEvents')).toBe(0);
  expect(await ledgerRecord(aws)).toBeUndefined();
  const email = JSON.parse(aws.published[0]?.message ?? '{}').email as string;
  expect(email).not.toContain('Provisioning last succeeded');
});

it('says nothing of provisioning where no SCIM call was ever seen (another account owns the instance)', async () => {
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-01-15","identityProvider":"okta"}');
  const { results } = await invokeBundle(bundle, [scheduledEvent('2027-01-15T08:00:00Z')], observed());
  expect(results.map((r) => r.ok)).toEqual([true]);
  expect(aws.count('cloudtrail:LookupEvents')).toBe(1);
  const email = JSON.parse(aws.published[0]?.message ?? '{}').email as string;
  expect(email).toContain('EXPIRED');
  expect(email).not.toMatch(/SCIM call|Provisioning last succeeded/);
});

describe('the opt-in provisioning alerts', () => {
  const alerting = () => ({
    ...observed(),
    PROVISIONING_FAILURES_ABOVE: '2',
    PROVISIONING_SILENT_HOURS: '48',
  });
  const failing = (fake: FakeAws) => {
    scimCall(fake, '2027-01-14T08:00:00Z', 'PatchUser');
    for (const [i, code] of ['ValidationException', 'ValidationException', 'ConflictException'].entries()) {
      scimCall(fake, `2027-01-14T1${i}:00:00Z`, 'CreateUser', {
        errorCode: code,
        errorMessage:
          code === 'ConflictException' ? 'Duplicate GroupDisplayName' : 'Missing path in PATCH request',
      });
    }
  };

  it('warn once when more calls failed than allowed, grouped by error code; never before delivery', async () => {
    aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-06-01","identityProvider":"okta"}');
    failing(aws);
    // The first send fails: the record stays where it was, so nothing is lost.
    aws.fault = (c) =>
      c.action === 'sns:PublishBatch' || c.action === 'sns:Publish'
        ? { status: 500, code: 'InternalError' }
        : undefined;
    const first = await invokeBundle(bundle, [scheduledEvent('2027-01-15T08:00:00Z')], alerting());
    expect(first.results.map((r) => r.ok)).toEqual([false]);
    expect(await ledgerRecord(aws)).toBeUndefined();
    // The retry (Lambda's) reads the same window, sends the same alert, then records.
    aws.fault = undefined;
    const retry = await invokeBundle(
      bundle,
      [{ event: scheduledEvent('2027-01-15T08:00:00Z'), clock: '2027-01-15T08:03:00Z' }],
      alerting(),
    );
    expect(retry.results.map((r) => r.ok)).toEqual([true]);
    const sent = aws.published.filter((p) => p.attributes.alertType?.value === 'scim-calls-failing');
    expect(sent.map((p) => [p.attributes.severity?.value, p.subject])).toEqual([
      ['warning', '[WARNING] 123456789012: SCIM provisioning calls are failing (3 failed)'],
    ]);
    const email = JSON.parse(sent[0]?.message ?? '{}').email as string;
    expect(email).toContain(
      'ValidationException ×2 (latest: CreateUser at 2027-01-14 11:00 UTC, "Missing path in PATCH request")',
    );
    expect(email).toContain('ConflictException ×1');
    expect(
      aws.events.filter((e) => JSON.parse(String(e.Detail)).alertType === 'scim-calls-failing'),
    ).toHaveLength(1);
    expect(JSON.parse((await ledgerRecord(aws)) ?? '{}').watermark).toBeDefined();
    // The next run reads a new window with no failure: nothing more.
    await invokeBundle(bundle, [scheduledEvent('2027-01-16T08:00:00Z')], alerting());
    expect(aws.published.filter((p) => p.attributes.alertType?.value === 'scim-calls-failing')).toHaveLength(
      1,
    );
  });

  it('warn once per silence when no call succeeded for the hours set', async () => {
    aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-06-01","identityProvider":"okta"}');
    scimCall(aws, '2027-01-12T08:00:00Z', 'PatchUser');
    const runs = ['2027-01-13T08:00:00Z', '2027-01-14T08:00:00Z', '2027-01-15T08:00:00Z'].map((t) =>
      scheduledEvent(t),
    );
    await invokeBundle(bundle, runs, alerting());
    const silent = aws.published.filter((p) => p.attributes.alertType?.value === 'scim-calls-silent');
    // 48 hours after the last success (2027-01-14 08:00), once; not again the next day.
    expect(silent).toHaveLength(1);
    expect(JSON.parse(silent[0]?.message ?? '{}').email).toContain(
      'No successful SCIM call for 48 hours: the last was at 2027-01-12 08:00 UTC (PatchUser).',
    );
  });
});

it('after a rotation, says whether the new token made SCIM calls', async () => {
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-01-15","tokenId":"tok-old","identityProvider":"okta"}');
  await invokeBundle(bundle, [scheduledEvent('2026-12-16T08:00:00Z')], observed());
  // Rotated on 2027-01-10 at 09:00; the identity provider uses the new token from 09:30.
  aws.put(
    `${prefix}okta-prod`,
    '{"createdAt":"2027-01-10T09:00:00Z","tokenId":"tok-new","identityProvider":"okta"}',
    'String',
    new Date('2027-01-10T09:05:00Z'),
  );
  scimCall(aws, '2027-01-10T08:00:00Z', 'PatchUser', { accessKeyId: 'tok-old' });
  scimCall(aws, '2027-01-10T09:30:00Z', 'PatchUser', { accessKeyId: 'tok-new' });
  await invokeBundle(bundle, [scheduledEvent('2027-01-11T08:00:00Z')], observed());
  const rotated = aws.published.find((p) => p.attributes.alertType?.value === 'token-rotated');
  const email = JSON.parse(rotated?.message ?? '{}').email as string;
  expect(email).toContain(
    "This token's ID made SCIM calls, the latest at 2027-01-10 09:30 UTC: the identity provider uses it.",
  );
  expect(email).toContain('It provisions with this token now: the old token can be deleted.');
});
