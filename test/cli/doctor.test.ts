/**
 * `scim-token-monitor doctor` through the shipped bin, against the local AWS stand-in playing a
 * deployed stack: healthy, and each way an alert could fail to reach anyone.
 */
import { bin } from '../support/bin';
import { deploy } from '../support/deployment';
import { aws, env, useStandIns } from '../support/stand-ins';

useStandIns();

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ScimTokenMonitor-MonitorAlertTopic';
const FUNCTION = 'ScimTokenMonitor-MonitorFunction2E7CCE0A-abc';
const SCHEDULE = 'ScimTokenMonitor-MonitorMonitorSchedule-XYZ';
const ALARMS = [
  'ScimTokenMonitor-ErrorsAlarm-1',
  'ScimTokenMonitor-NotRunAlarm-2',
  'ScimTokenMonitor-DeadLetterAlarm-3',
];
const hoursAgo = (h: number) => new Date(Date.now() - h * 3_600_000);
/** The date `days` ago, as a registration's createdAt. */
const daysAgo = (days: number) =>
  hoursAgo(days * 24)
    .toISOString()
    .slice(0, 10);

/** A metric datapoint the monitor function would have emitted `hours` ago. */
function emitted(metricName: string, hours: number, value: number) {
  aws.ops.datapoints.push({
    namespace: 'ScimTokenMonitor',
    metricName,
    dimensions: { service: 'scim-token-monitor', FunctionName: FUNCTION },
    timestamp: hoursAgo(hours),
    value,
  });
}

/** A healthy deployment; each test breaks one thing. */
function deployed(overrides: Parameters<typeof deploy>[1] = {}) {
  deploy(aws, {
    alertTopicArn: TOPIC,
    functionName: FUNCTION,
    scheduleRuleName: SCHEDULE,
    healthRuleName: 'ScimTokenMonitor-Health-1',
    alarmNames: ALARMS,
    ...overrides,
  });
  aws.ops.subscriptions.set(TOPIC, [{ protocol: 'email', endpoint: 'oncall@example.com', confirmed: true }]);
  aws.ops.rules.set(SCHEDULE, { state: 'ENABLED' });
  aws.ops.rules.set('ScimTokenMonitor-Health-1', { state: 'ENABLED' });
  emitted('RunSucceeded', 3, 1);
  // Created a month ago: far from expiry, so AWS Health has nothing to announce yet.
  aws.put('/scim-token-monitor/tokens/okta-prod', daysAgo(30));
}

/** A datapoint of an AWS service's own metric. */
function awsMetric(
  namespace: string,
  metricName: string,
  dimensions: Record<string, string>,
  hours: number,
  value: number,
) {
  aws.ops.datapoints.push({ namespace, metricName, dimensions, timestamp: hoursAgo(hours), value });
}

async function doctor(...args: string[]) {
  const r = await bin(['doctor', ...args], { env });
  return { ...r, lines: r.stdout.split('\n') };
}

it('reports a healthy deployment in one screen, exit 0', async () => {
  deployed();
  const r = await doctor();
  expect(r.code).toBe(0);
  expect(r.stderr).toBe('');
  expect(r.stdout).toMatch(/Subscribers\s+OK\s+1 confirmed \(email\)/);
  expect(r.stdout).toMatch(/Alarm actions\s+OK\s+no failed action/);
  expect(r.stdout).toMatch(/Alarm relay\s+OK\s+no failed invocation/);
  expect(r.stdout).toMatch(/Dead letters\s+OK\s+the dead-letter queue is empty/);
  expect(r.stdout).toMatch(/Schedule\s+OK\s+enabled/);
  expect(r.stdout).toMatch(/Last successful run\s+OK\s+[23]-[34] hours ago \(the hour from /);
  expect(r.stdout).toMatch(/Registry\s+OK/);
  expect(r.stdout).toMatch(/AWS Health notices\s+OK\s+rule enabled; none received yet/);
  expect(r.stdout).toContain('Alerts can reach someone.');
  expect(r.lines.length).toBeLessThanOrEqual(24);
  // Read-only: nothing was written or published.
  expect(aws.calls.filter((c) => /Put|Publish|Delete/.test(c.action))).toEqual([]);
});

it.each([
  [
    'a subscription nobody confirmed',
    () =>
      aws.ops.subscriptions.set(TOPIC, [
        { protocol: 'email', endpoint: 'oncall@example.com', confirmed: false },
      ]),
    /Subscribers\s+FAIL\s+none confirmed, so nobody receives alerts; pending confirmation: email oncall@example.com/,
  ],
  [
    'no subscriber at all',
    () => aws.ops.subscriptions.set(TOPIC, []),
    /Subscribers\s+FAIL\s+nobody is subscribed/,
  ],
  [
    'an alarm whose action failed',
    () =>
      aws.ops.alarmHistory.set(ALARMS[1] as string, [
        {
          type: 'Action',
          summary: `Failed to execute action ${TOPIC}. Received error: "CloudWatch Alarms is not authorized to perform: SNS:Publish"`,
          timestamp: hoursAgo(5),
        },
      ]),
    /Alarm actions\s+FAIL\s+1 failed, latest ScimTokenMonitor-NotRunAlarm-2: Failed to execute action/,
  ],
  [
    'an alarm the relay could not publish (an existing topic that does not admit its role)',
    () => awsMetric('AWS/Lambda', 'Errors', { FunctionName: 'ScimTokenMonitor-AlarmRelayFunction' }, 5, 3),
    /Alarm relay\s+FAIL\s+3 failed invocation\(s\) in the last 8 days: an alarm did not reach the topic\. The topic's policy and its key's must admit arn:aws:iam::123456789012:role\/ScimTokenMonitor-MonitorFunctionRole and arn:aws:iam::123456789012:role\/ScimTokenMonitor-AlarmRelayRole/,
  ],
  [
    'an invocation waiting in the dead-letter queue',
    () => {
      awsMetric(
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        { QueueName: 'ScimTokenMonitor-DeadLetterQueue' },
        30,
        0,
      );
      awsMetric(
        'AWS/SQS',
        'ApproximateNumberOfMessagesVisible',
        { QueueName: 'ScimTokenMonitor-DeadLetterQueue' },
        1,
        2,
      );
    },
    /Dead letters\s+FAIL\s+2 invocation\(s\) failed after every retry and wait in the dead-letter queue/,
  ],
  [
    'a disabled schedule',
    () => aws.ops.rules.set(SCHEDULE, { state: 'DISABLED' }),
    /Schedule\s+FAIL\s+the schedule rule is DISABLED/,
  ],
  [
    'no successful run for 30 hours',
    () => {
      aws.ops.datapoints.length = 0;
      emitted('RunSucceeded', 30, 1);
    },
    /Last successful run\s+FAIL\s+(29-30|30-31) hours ago .*, more than 26/,
  ],
  [
    'an empty registry',
    () => aws.parameters.delete('/scim-token-monitor/tokens/okta-prod'),
    /Registry\s+FAIL\s+nothing is registered/,
  ],
])('fails on %s, naming it, exit 1', async (_what, breakIt, line) => {
  deployed();
  breakIt();
  const r = await doctor();
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(line);
  expect(r.stderr).toMatch(
    /^scim-token-monitor: 1 check\(s\) failed: .* An alert may not reach anyone until they are fixed\.\n$/,
  );
});

it('warns, without failing, on a pending subscription beside a confirmed one and on inconclusive probes', async () => {
  deployed();
  aws.ops.subscriptions.set(TOPIC, [
    { protocol: 'email', endpoint: 'oncall@example.com', confirmed: true },
    { protocol: 'email', endpoint: 'new@example.com', confirmed: false },
  ]);
  emitted('ProbesInconclusive', 3, 2);
  const r = await doctor('--json');
  expect(r.code).toBe(0);
  const report = JSON.parse(r.stdout) as {
    healthy: boolean;
    checks: Array<{ check: string; verdict: string }>;
  };
  expect(report.healthy).toBe(true);
  expect(report.checks.map((c) => [c.check, c.verdict])).toEqual([
    ['Subscribers', 'warn'],
    ['Alarm actions', 'ok'],
    ['Alarm relay', 'ok'],
    ['Dead letters', 'ok'],
    ['Schedule', 'ok'],
    ['Last successful run', 'ok'],
    ['Registry', 'ok'],
    ['Token probe', 'warn'],
    ['AWS Health notices', 'ok'],
  ]);
});

it('names a missing stack, and refuses a registry file', async () => {
  expect(await doctor('--stack-name', 'Nope')).toMatchObject({
    code: 1,
    stderr:
      'scim-token-monitor: No scim-token-monitor deployment in stack Nope in this region (nothing under /scim-token-monitor/deployments/Nope/): check --stack-name and --region.\n',
  });
  expect(await doctor()).toMatchObject({
    code: 1,
    stderr:
      'scim-token-monitor: No deployed monitor found in this region: pass --stack-name (or --region), or deploy it first.\n',
  });
  expect((await bin(['doctor', '--registry', 'x.json'], { env })).code).toBe(2);
});

it('finds the registry behind pages SSM answers empty', async () => {
  deployed();
  // SSM may answer a page with no parameter and a token for the next one.
  aws.emptyPagesFirst = 2;
  const r = await doctor();
  expect(r.stdout).toMatch(/Registry\s+OK/);
});

it("checks a monitor inside another stack by its own names, and that stack's ledger", async () => {
  // Two monitors here: the app's (its ledger elsewhere), and one a team added to its own stack.
  deployed({ ledgerTableName: 'ScimTokenMonitor-OtherLedger' });
  deploy(
    aws,
    {
      stackName: 'Platform',
      alertTopicArn: TOPIC,
      functionName: FUNCTION,
      scheduleRuleName: SCHEDULE,
      healthRuleName: 'ScimTokenMonitor-Health-1',
      alarmNames: ALARMS,
    },
    'ScimTokens',
  );
  await aws.dynamodb.putState(
    'health/2027-01-15',
    JSON.stringify({
      expiryDate: '2027-01-15',
      eventArn: 'arn:x',
      matchedToken: 'okta-prod',
      alertedSeverity: null,
      firstSeen: '2026-10-17T09:00:05.000Z',
    }),
  );
  const r = await doctor('--stack-name', 'Platform');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain('scim-token-monitor doctor: stack Platform');
  expect(r.stdout).toMatch(/AWS Health notices\s+OK\s+.*1 announced expiry date\(s\) recorded/);
});

it('follows the AWS Health path: the rule, the forwarded accounts, and what the ledger recorded', async () => {
  deployed({ healthSourceAccounts: ['111111111111'] });
  await aws.dynamodb.putState(
    'health/2027-01-15',
    JSON.stringify({
      expiryDate: '2027-01-15',
      eventArn: 'arn:aws:health:eu-west-1::event/IAMIDENTITYCENTER/X/X_1',
      matchedToken: null,
      alertedSeverity: 'warning',
      firstSeen: '2026-10-17T09:00:05.000Z',
    }),
  );
  const healthy = await doctor();
  expect(healthy.code).toBe(0);
  expect(healthy.stdout).toMatch(
    /AWS Health notices\s+OK\s+rule enabled, also from the accounts in healthSourceAccounts; 1 announced expiry date\(s\) recorded, latest first seen 2026-10-17; 1 nobody registered \(adopted/,
  );
  aws.ops.rules.set('ScimTokenMonitor-Health-1', { state: 'DISABLED' });
  const disabled = await doctor();
  expect(disabled.code).toBe(1);
  expect(disabled.stdout).toMatch(/AWS Health notices\s+FAIL\s+the AWS Health rule is DISABLED/);
});

it('warns when registered tokens are close enough to expiry that AWS Health must have announced them, and it has not', async () => {
  deployed({ healthSourceAccounts: ['111111111111'] });
  // 44 days left: AWS Health has been announcing it for six weeks.
  aws.put('/scim-token-monitor/tokens/okta-prod', daysAgo(365 - 44));
  const unheard = await doctor();
  expect(unheard.code).toBe(0);
  expect(unheard.stdout).toMatch(
    /AWS Health notices\s+WARN\s+rule enabled, also from the accounts in healthSourceAccounts; but 1 registered token\(s\) expire within 80 days \(soonest okta-prod, 44 days\) and AWS Health has announced none of them: is ScimTokenHealthForwarder deployed/,
  );
  // Once its notice is recorded, matched to it, all is well.
  await aws.dynamodb.putState(
    `health/${hoursAgo(-44 * 24)
      .toISOString()
      .slice(0, 10)}`,
    JSON.stringify({
      expiryDate: hoursAgo(-44 * 24)
        .toISOString()
        .slice(0, 10),
      eventArn: 'arn:x',
      matchedToken: 'okta-prod',
      alertedSeverity: null,
      firstSeen: hoursAgo(24 * 40).toISOString(),
    }),
  );
  expect((await doctor()).stdout).toMatch(
    /AWS Health notices\s+OK\s+.*1 announced expiry date\(s\) recorded/,
  );
});
