/**
 * The stand-in's CloudTrail `LookupEvents` is as strict as AWS documents it (one lookup attribute,
 * 1 to 50 events a page, newest first, a next token only for the same query, 2 requests a
 * second), through the SDK client the monitor uses; and the monitor's adapter reads within its
 * page budget, paced so that it is never throttled.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { lookupScimCalls, MIN_REQUEST_INTERVAL_MS } from '../../adapters/cloudtrail';
import { SCIM_EVENT_SOURCE } from '../../core/provisioning';
import { FakeAws } from '../../tools/fake-aws';

let aws: FakeAws;
let client: CloudTrailClient;
const credentials = { accessKeyId: 'AKIDLOCALTEST', secretAccessKey: 'local-test-secret' };

beforeAll(async () => {
  aws = new FakeAws();
  const endpoint = await aws.start();
  process.env.AWS_ENDPOINT_URL = endpoint;
  process.env.AWS_REGION = 'eu-west-1';
  process.env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  client = new CloudTrailClient({ endpoint, region: 'eu-west-1', credentials, maxAttempts: 1 });
  const start = Date.parse('2027-01-14T00:00:00Z');
  for (let i = 0; i < 120; i++) {
    aws.cloudTrail.record({
      eventTime: new Date(start + i * 60_000).toISOString(),
      eventSource: SCIM_EVENT_SOURCE,
      eventName: 'GetUser',
      awsRegion: 'eu-west-1',
      requestParameters: { tenantId: 'tenant-123' },
      userIdentity: { accessKeyId: 'tok-okta' },
    });
  }
});
afterAll(() => aws.stop());

/** Each case starts with a full bucket, as after a second of quiet. */
const rested = async () => aws.cloudTrail.resetRateLimit();
const SCIM = [{ AttributeKey: 'EventSource' as const, AttributeValue: SCIM_EVENT_SOURCE }];

it('refuses two lookup attributes, a page over 50 and a reversed range, as CloudTrail does', async () => {
  await rested();
  await expect(
    client.send(
      new LookupEventsCommand({
        LookupAttributes: [...SCIM, { AttributeKey: 'EventName', AttributeValue: 'GetUser' }],
      }),
    ),
  ).rejects.toMatchObject({ name: 'InvalidLookupAttributesException' });
  await expect(client.send(new LookupEventsCommand({ MaxResults: 51 }))).rejects.toMatchObject({
    name: 'InvalidMaxResultsException',
  });
  await rested();
  await expect(
    client.send(
      new LookupEventsCommand({
        StartTime: new Date('2027-01-15T00:00:00Z'),
        EndTime: new Date('2027-01-14T00:00:00Z'),
      }),
    ),
  ).rejects.toMatchObject({ name: 'InvalidTimeRangeException' });
});

it('answers newest first, a page at a time, and a next token only for the same query', async () => {
  await rested();
  const query = { LookupAttributes: SCIM, EndTime: new Date('2027-01-15T00:00:00Z') };
  const first = await client.send(new LookupEventsCommand({ ...query, MaxResults: 50 }));
  const times = (first.Events ?? []).map((e) => e.EventTime?.getTime() ?? 0);
  expect(times).toHaveLength(50);
  expect([...times].sort((a, b) => b - a)).toEqual(times);
  expect(first.NextToken).toBeDefined();
  await expect(
    client.send(
      new LookupEventsCommand({ LookupAttributes: SCIM, MaxResults: 10, NextToken: first.NextToken }),
    ),
  ).rejects.toMatchObject({ name: 'InvalidNextTokenException' });
});

it('throttles more than 2 requests a second; the adapter, paced, never is', async () => {
  await rested();
  const burst = await Promise.allSettled(
    [1, 2, 3].map(() => client.send(new LookupEventsCommand({ LookupAttributes: SCIM, MaxResults: 1 }))),
  );
  expect(
    burst.filter((r) => r.status === 'rejected').map((r) => (r as PromiseRejectedResult).reason.name),
  ).toEqual(['ThrottlingException']);
  await rested();
  aws.cloudTrail.throttled = 0;
  const started = Date.now();
  const window = await lookupScimCalls(new Date('2027-01-14T00:00:00Z'), new Date('2027-01-15T00:00:00Z'), {
    maxPages: 2,
    clock: Date.now,
    deadline: Date.now() + 30_000,
  });
  // Two pages of 50 within the budget, the oldest 20 not read, and no request refused.
  expect({ pages: window.pages, calls: window.calls.length, complete: window.complete }).toEqual({
    pages: 2,
    calls: 100,
    complete: false,
  });
  expect(window.oldestRead).toEqual(new Date('2027-01-14T00:20:00Z'));
  expect(aws.cloudTrail.throttled).toBe(0);
  expect(Date.now() - started).toBeGreaterThanOrEqual(MIN_REQUEST_INTERVAL_MS);
});
