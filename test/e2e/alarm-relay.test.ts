/**
 * The monitor's own alarms reach whoever gets critical alerts: the alarm relay as it ships, run in
 * a fresh process against the stand-in, publishes each alarm change with the alerts' message
 * attributes, so the README's pager filter policy matches it.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { functionBundle, invokeBundle } from '../../tools/bundle';
import { FakeAws } from '../../tools/fake-aws';
import { filterMatches } from '../support/sns-filter';

let bundle: string;
let aws: FakeAws;
let env: Record<string, string>;
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:scim-token-alerts';

beforeAll(async () => {
  bundle = functionBundle('alarm-relay');
  aws = new FakeAws();
  env = { ALERT_TOPIC_ARN: TOPIC, AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: await aws.start() };
});
afterAll(() => aws.stop());
beforeEach(() => aws.resetRecords());

/** What CloudWatch sends a Lambda alarm action. */
function alarmEvent(state: 'ALARM' | 'OK') {
  return {
    source: 'aws.cloudwatch',
    alarmArn: 'arn:aws:cloudwatch:eu-west-1:123456789012:alarm:ScimTokenMonitor-NotRunAlarm-1',
    accountId: '123456789012',
    time: '2026-11-24T09:00:00.000+0000',
    region: 'eu-west-1',
    alarmData: {
      alarmName: 'ScimTokenMonitor-NotRunAlarm-1',
      state: {
        value: state,
        reason: 'Threshold Crossed: 26 datapoints were less than the threshold (1.0).',
        timestamp: '2026-11-24T09:00:00.000+0000',
      },
      previousState: {
        value: state === 'ALARM' ? 'OK' : 'ALARM',
        reason: '',
        timestamp: '2026-11-23T09:00:00.000+0000',
      },
      configuration: {
        description: 'The SCIM token monitor has not completed a successful run for 26 hours.',
      },
    },
  };
}

it("publishes an alarm with severity critical, so the README's pager filter receives it, and its recovery as info", async () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const filter = JSON.parse(
    /filter policy on your pager's subscription:\n`([^`]+)`/.exec(readme)?.[1] ?? '{}',
  );
  expect(filter).toEqual({ severity: ['critical'] });

  const { results } = await invokeBundle(bundle, [alarmEvent('ALARM'), alarmEvent('OK')], env);
  expect(results.map((r) => r.result)).toEqual([{ relayed: true }, { relayed: true }]);
  const [alarm, ok] = aws.published;
  expect(alarm?.subject).toBe(
    '[CRITICAL] 123456789012: SCIM token monitor alarm ScimTokenMonitor-NotRunAlarm-1 is ALARM',
  );
  expect(alarm?.attributes).toMatchObject({
    alertType: { dataType: 'String', value: 'monitor-alarm' },
    severity: { dataType: 'String', value: 'critical' },
  });
  expect(filterMatches(filter, alarm?.attributes ?? {})).toBe(true);
  const email = JSON.parse(alarm?.message ?? '{}').email as string;
  expect(email).toContain('has not completed a successful run for 26 hours');
  expect(email).toContain('scim-token-monitor doctor');
  // The recovery reaches everyone unfiltered, and does not page.
  expect(ok?.subject).toBe(
    '[INFO] 123456789012: SCIM token monitor alarm ScimTokenMonitor-NotRunAlarm-1 is OK',
  );
  expect(filterMatches(filter, ok?.attributes ?? {})).toBe(false);
});

it('drops (and logs) an event it cannot read, without failing, so Lambda does not retry it', async () => {
  const { results } = await invokeBundle(
    bundle,
    [{ hello: 'world' }, { source: 'aws.cloudwatch', alarmData: 'x' }],
    env,
  );
  expect(results.map((r) => [r.ok, r.result?.relayed])).toEqual([
    [true, false],
    [true, false],
  ]);
  expect(aws.published).toEqual([]);
});

it("relays the AWS Health forwarder's alarm, forwarded from another account through EventBridge, naming that account", async () => {
  // What the monitor's rule receives: the forwarder account's alarm change, as EventBridge carries it.
  const forwarded = {
    version: '0',
    id: 'c4c1c1c9-6542-e61b-6ef0-8c4d36933a92',
    'detail-type': 'CloudWatch Alarm State Change',
    source: 'aws.cloudwatch',
    account: '111111111111',
    time: '2026-11-24T09:05:00Z',
    region: 'eu-west-1',
    resources: ['arn:aws:cloudwatch:eu-west-1:111111111111:alarm:scim-token-health-forwarder-failed-X'],
    detail: {
      alarmName: 'scim-token-health-forwarder-failed-X',
      state: { value: 'ALARM', reason: 'Threshold Crossed', timestamp: '2026-11-24T09:05:00.000+0000' },
      previousState: { value: 'OK', reason: '', timestamp: '2026-11-20T09:00:00.000+0000' },
      configuration: { description: 'The AWS Health forwarder could not deliver a SCIM token notice.' },
    },
  };
  const { results } = await invokeBundle(bundle, [forwarded], env);
  expect(results.map((r) => r.result)).toEqual([{ relayed: true }]);
  const [alarm] = aws.published;
  expect(alarm?.subject).toBe(
    '[CRITICAL] 111111111111: SCIM token monitor alarm scim-token-health-forwarder-failed-X is ALARM',
  );
  const payload = JSON.parse(JSON.parse(alarm?.message ?? '{}').lambda) as Record<string, unknown>;
  expect(payload).toMatchObject({
    alertType: 'monitor-alarm',
    severity: 'critical',
    account: '111111111111',
  });
  expect(JSON.parse(alarm?.message ?? '{}').email).toContain('could not deliver a SCIM token notice');
});
