/**
 * A year of daily runs over 60 tokens while the AWS layer fails one call in five (throttling,
 * 500s, and calls applied whose answer was lost with the connection) and one entry in five
 * inside successful PublishBatch and PutEvents replies, with a fixed seed. Lambda's asynchronous
 * retries are modelled: a failed run is invoked again, twice at most, with the same request ID.
 *
 * Guarantees asserted: no threshold is skipped, no alert is sent before its day, no EventBridge
 * copy is lost, an alert is repeated only where the documented window allows it (a publish whose
 * answer was lost, or a confirmation that failed), and every invalid registration revision is
 * reported.
 */
import { addDays } from '../../core/dates';
import { FakeAws, type Fault, type RecordedCall } from '../../tools/fake-aws';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { prng } from '../support/prng';
import {
  copyKey,
  DAYS,
  day,
  expectedAlerts,
  registryChanges,
  START,
  ymd,
} from '../support/simulation-registry';

// Production backs off for real (100 ms and up); here retries wait 1 ms so a year runs in seconds.
// Lost answers are dropped connections (no real wait); the request timeout only bounds a stall.
jest.mock('../../adapters/client-config', () => {
  const { ConfiguredRetryStrategy } = jest.requireActual('@smithy/core/retry');
  return {
    CLIENT_CONFIG: {
      retryStrategy: new ConfiguredRetryStrategy(5, () => 1),
      requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true },
    },
    ENTRY_RETRY_DELAYS_MS: [1, 1],
  };
});

const prefix = MONITOR_ENV.PARAMETER_PREFIX;
const SEED = 20261123;
/** At least the 15 % the issue asks for: calls, and entries inside successful batch replies. */
const FAULT_RATE = 0.2;

describe('a year of daily runs with one AWS call in five failing', () => {
  const aws = new FakeAws();
  const random = prng(SEED);
  const faults: Array<{ call: RecordedCall; fault: Fault }> = [];
  const deliveries: Array<{ key: string; date: string; subject: string; copy: string }> = [];
  /** The EventBridge copies (their Detail), to check none is lost. */
  const copies: string[] = [];
  const failedDays = new Set<string>();
  let invocations = 0;
  let failedInvocations = 0;
  // Outages on days an alert is due, to exercise Lambda's retries and the crash windows:
  // SNS down for the first invocation, state writes down for the first invocation, and the
  // registry unreadable all day (every retry fails; that day's alerts must come the next day).
  const dueDays = [...new Set(expectedAlerts(registryChanges()).map((e) => e.date))]
    .filter((d) => d > '2026-02-01')
    .sort();
  const outages: Record<string, { action: string; attempts: number }> = {
    [dueDays[0] as string]: { action: 'sns:PublishBatch', attempts: 1 },
    [dueDays[5] as string]: { action: 'dynamodb:PutItem', attempts: 1 },
    [dueDays[10] as string]: { action: 'ssm:GetParametersByPath', attempts: 3 },
  };
  let today = '';
  let attempt = 0;

  beforeAll(async () => {
    // Only Date is faked (each day's run happens on its day); timers and I/O stay real.
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    const url = await aws.start();
    Object.assign(process.env, MONITOR_ENV, {
      AWS_ENDPOINT_URL: url,
      AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
      AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    });
    aws.instances = [
      { InstanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', IdentityStoreId: 'd-1234567890' },
    ];
    // The alert topic exists, with on-call subscribed (each run counts its subscriptions).
    aws.ops.subscriptions.set(MONITOR_ENV.ALERT_TOPIC_ARN, [
      { protocol: 'email', endpoint: 'oncall@example.com', confirmed: true },
    ]);
    // Failed entries inside successful PublishBatch and PutEvents replies, as often as failed calls.
    aws.entryFault = () => (random() < FAULT_RATE ? 'InternalFailure' : undefined);
    aws.fault = (call) => {
      const outage = outages[today];
      if (outage && outage.action === call.action && attempt < outage.attempts) {
        const fault = {
          status: 500,
          code: call.action.startsWith('sns:') ? 'InternalError' : 'InternalServerError',
        };
        faults.push({ call, fault });
        return fault;
      }
      if (random() >= FAULT_RATE) return undefined;
      const r = random();
      const throttled = call.action.startsWith('dynamodb:')
        ? 'ProvisionedThroughputExceededException'
        : 'ThrottlingException';
      const fault: Fault =
        r < 0.4
          ? { status: 400, code: call.action.startsWith('sns:') ? 'Throttling' : throttled }
          : r < 0.95
            ? { status: 500, code: call.action.startsWith('sns:') ? 'InternalError' : 'InternalServerError' }
            : { drop: true as const };
      faults.push({ call, fault });
      return fault;
    };

    const { handler } = await import('../../functions/monitor/handler');
    const changes = registryChanges();
    for (let d = 0; d < DAYS; d++) {
      const now = addDays(START, d);
      today = ymd(now);
      for (const c of changes.filter((x) => x.day === today))
        aws.put(`${prefix}${c.name}`, c.value, c.type ?? 'String', c.at ?? now);
      const before = aws.published.length;
      let ok = false;
      // The scheduled event arrives on time; Lambda retries a failed asynchronous invocation
      // twice, with the same event and the same request ID.
      jest.setSystemTime(new Date(now.getTime() + 1_000));
      const context = { awsRequestId: `run-${today}`, getRemainingTimeInMillis: () => 300_000 };
      for (attempt = 0; attempt < 3 && !ok; attempt++) {
        invocations++;
        try {
          await handler(scheduledEvent(now.toISOString()), context);
          ok = true;
        } catch {
          failedInvocations++;
        }
      }
      if (!ok) failedDays.add(today);
      for (const p of aws.published.slice(before)) {
        const payload = JSON.parse(JSON.parse(p.message).sqs) as Record<string, unknown>;
        const key =
          payload.alertType === 'invalid-registration'
            ? `${payload.tokenName} invalid-registration v${aws.parameters.get(`${prefix}${payload.tokenName}`)?.version}`
            : `${payload.tokenName} ${payload.alertType} ${payload.threshold} ${payload.expiresAt}`;
        deliveries.push({
          key: payload.reminder ? `${key} reminder ${payload.reminder}` : key,
          date: today,
          subject: p.subject ?? '',
          copy: copyKey(payload),
        });
      }
    }
    copies.push(...aws.events.map((e) => copyKey(JSON.parse(String(e.Detail)))));
    jest.useRealTimers();
    await aws.stop();
  }, 600_000);

  afterAll(() => {
    const keys = new Set(deliveries.map((d) => d.key));
    process.stdout.write(
      `\nsimulation (seed ${SEED}): ${DAYS} days, ${invocations} invocations (${failedInvocations} failed, ${failedDays.size} days with every retry failed), ` +
        `${aws.calls.length} AWS calls, ${faults.length} faults injected, ${aws.lostAnswers.length} answers lost with their connection, ` +
        `${deliveries.length} alerts delivered for ${keys.size} distinct alerts (${deliveries.length - keys.size} repeats)\n`,
    );
  });

  it('went through failed runs, Lambda retries and a whole failed day', () => {
    expect(failedInvocations).toBeGreaterThanOrEqual(5);
    expect(failedDays.size).toBeGreaterThanOrEqual(1);
  });

  it('injected faults of every kind, so the run really was faulty', () => {
    expect(faults.length).toBeGreaterThan(200);
    expect(faults.some((f) => 'drop' in f.fault && f.call.action === 'sns:PublishBatch')).toBe(true);
    expect(faults.some((f) => 'status' in f.fault && f.call.action === 'dynamodb:PutItem')).toBe(true);
    expect(faults.some((f) => 'status' in f.fault && f.call.action === 'dynamodb:UpdateItem')).toBe(true);
  });

  it('skips no threshold and sends nothing before its day', () => {
    const expected = expectedAlerts(registryChanges());
    expect(expected.length).toBeGreaterThan(150);
    const firstDelivery = new Map<string, string>();
    for (const d of deliveries) {
      // Weekly reminders (still expired, still invalid) come on top of what is specified here.
      if (!d.key.includes(' reminder ') && !firstDelivery.has(d.key)) firstDelivery.set(d.key, d.date);
    }

    const problems: string[] = [];
    for (const e of expected) {
      const got = firstDelivery.get(e.key);
      if (got === undefined) {
        // Documented: after missed runs only the most urgent crossed threshold alerts. Not sent is
        // right only when every run failed from its day until a more urgent alert of the same
        // lifecycle was due.
        let firstOk = day(e.date);
        while (failedDays.has(ymd(firstOk))) firstOk = addDays(firstOk, 1);
        const lifecycle = e.key.split(' ').slice(-1)[0];
        const superseded = expected.some(
          (o) =>
            o !== e &&
            o.key.endsWith(` ${lifecycle}`) &&
            o.key.split(' ')[0] === e.key.split(' ')[0] &&
            o.date > e.date &&
            o.date <= ymd(firstOk),
        );
        if (!superseded) problems.push(`never sent: ${e.key} (due ${e.date})`);
      } else if (got < e.date) problems.push(`sent early: ${e.key} on ${got}, due ${e.date}`);
      else if (got > e.date) {
        // Late only when every invocation of every day in between failed.
        for (let d = day(e.date); ymd(d) < got; d = addDays(d, 1)) {
          if (!failedDays.has(ymd(d))) problems.push(`sent late: ${e.key} on ${got}, due ${e.date}`);
        }
      }
    }
    const promised = new Set(expected.map((e) => e.key));
    for (const key of firstDelivery.keys()) if (!promised.has(key)) problems.push(`not promised: ${key}`);
    expect(problems).toEqual([]);
  });

  it('repeats an alert only where the documented window allows', () => {
    const counts = new Map<string, { n: number; subject: string; name: string }>();
    for (const d of deliveries) {
      const name = d.key.split(' ')[0] as string;
      counts.set(d.key, { n: (counts.get(d.key)?.n ?? 0) + 1, subject: d.subject, name });
    }
    const unexplained = [...counts.entries()]
      .filter(([, c]) => c.n > 1)
      .filter(([, c]) => {
        // The window: a publish that went out but whose answer was lost (the SDK retried it), or a
        // confirmation of the delivery that failed after the send.
        const lostPublish = aws.lostAnswers.some(
          (call) =>
            call.action === 'sns:PublishBatch' && Object.values(call.input).some((v) => v === c.subject),
        );
        const confirmation = (call: RecordedCall) =>
          call.action === 'dynamodb:UpdateItem' &&
          JSON.stringify(call.input).includes(`token/${c.name}#`) &&
          JSON.stringify(call.input).includes('"sent"');
        const failedConfirm =
          faults.some((f) => confirmation(f.call)) || aws.lostAnswers.some((call) => confirmation(call));
        return !lostPublish && !failedConfirm;
      });
    expect(unexplained).toEqual([]);
  });

  it('loses no EventBridge copy: every alert sent to SNS also reached the bus', () => {
    // A copy may come a day later than its SNS alert (when SNS went out and the copy failed all
    // day), so the copy is matched on what the alert is, not on the day it was evaluated.
    const lost = deliveries.filter((d) => !copies.includes(d.copy)).map((d) => `${d.date} ${d.key}`);
    expect(lost).toEqual([]);
    expect(faults.length + copies.length).toBeGreaterThan(0);
  });

  it('reports every invalid registration version', () => {
    const reported = new Set(
      deliveries
        .filter((d) => d.key.includes('invalid-registration') && !d.key.includes(' reminder '))
        .map((d) => d.key),
    );
    expect([...reported].sort()).toEqual([
      'bad-date invalid-registration v1',
      'bad-huge invalid-registration v1',
      'bad-json invalid-registration v1',
      'bad-type invalid-registration v1',
      'flaky invalid-registration v2',
    ]);
  });
});
