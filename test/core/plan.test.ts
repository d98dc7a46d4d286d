import { addDays, isoDate } from '../../core/dates';
import { planRun, prepareRun, type RunInput, type RunPlan } from '../../core/plan';
import { parseRegistration, type Registration } from '../../core/registration';
import { EMPTY_MONITOR_STATE, type MonitorState, serializeState, type TokenState } from '../../core/state';

const prefix = '/scim-token-monitor/tokens/';
const thresholds = [60, 30, 7];
const settings = {
  thresholdsDays: thresholds,
  registryPrefix: prefix,
  region: 'eu-west-1',
  account: '123456789012',
};
const rules = { prefix, defaultValidityDays: 365 };

function registration(
  name: string,
  value: string,
  now: Date,
  version = 1,
  lastModified?: Date,
  type = 'String',
): Registration {
  return parseRegistration(
    { name: `${prefix}${name}`, type, value, version, ...(lastModified ? { lastModified } : {}) },
    rules,
    now,
  );
}

interface TestInput extends Partial<RunInput> {
  /** Stored token states by token name. */
  readonly tokenStates?: ReadonlyMap<string, TokenState>;
  readonly monitorState?: MonitorState;
}

function input({ tokenStates, monitorState, ...overrides }: TestInput): RunInput {
  const states = new Map<string, string>([['monitor', serializeState(monitorState ?? EMPTY_MONITOR_STATE)]]);
  for (const [name, state] of tokenStates ?? []) states.set(`token/${name}`, serializeState(state));
  return {
    registrations: [],
    adopted: {},
    states,
    instances: [],
    settings,
    now: new Date('2026-11-23T08:00:00Z'),
    ...overrides,
  };
}

/** The state an alert commits once delivered. */
function committed(plan: RunPlan, key: string | undefined): TokenState {
  const commit = plan.commits.find((c) => key !== undefined && c.after.includes(key));
  if (!commit) throw new Error(`no commit after ${key}`);
  return commit.write.state as TokenState;
}

/** The writes that depend on no delivery. */
function unconditional(plan: RunPlan) {
  return plan.commits.filter((c) => c.after.length === 0).map((c) => c.write);
}

describe('planRun', () => {
  it('makes no alert and no write when nothing is due', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    const plan = planRun(input({ now, registrations: [registration('a', '2026-06-01', now)] }));
    expect(plan.alerts).toEqual([]);
    expect(plan.commits).toEqual([]);
    expect(plan.tokens).toHaveLength(1);
  });

  it('reads state only for tokens that could alert, plus the monitor state', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    const regs = [
      registration('far', '2026-06-01', now),
      registration('near', '2026-01-20', now),
      registration('bad', '2026-02-30', now),
    ];
    expect(prepareRun(regs, {}, [], now, settings).keys).toEqual([
      'monitor',
      'subscribers',
      'token/near',
      'token/bad',
    ]);
  });

  it('alerts with the severity of the threshold and writes the new state after it', () => {
    const now = new Date('2026-12-16T08:00:00Z');
    const plan = planRun(input({ now, registrations: [registration('okta-prod', '2026-01-15', now)] }));
    expect(plan.alerts).toHaveLength(1);
    expect(plan.alerts[0]?.alert).toMatchObject({
      alertType: 'expiry-warning',
      severity: 'warning',
      daysRemaining: 30,
      threshold: 30,
      tokenName: 'okta-prod',
      next: { threshold: 7, date: new Date('2027-01-08T00:00:00Z') },
    });
    expect(plan.commits).toEqual([
      {
        write: {
          key: 'token/okta-prod',
          state: {
            expiresAt: '2027-01-15T00:00:00.000Z',
            alertedThresholds: [60, 30],
            expiredAlerted: false,
          },
        },
        after: [plan.alerts[0]?.key],
      },
    ]);
    // The same decision always gets the same ledger key: that is what makes delivery exactly-once.
    expect(plan.alerts[0]?.key).toBe('token/okta-prod#2027-01-15T00:00:00.000Z#30');
  });

  it('reports an invalid registration once per revision, and still evaluates the others', () => {
    const now = new Date('2026-12-16T08:00:00Z');
    const written = new Date('2026-12-15T10:00:00Z');
    const regs = [
      registration('bad', '{"createdAt":"2026-02-30"}', now, 4, written),
      registration('good', '2026-01-15', now),
    ];
    const first = planRun(input({ now, registrations: regs }));
    expect(first.alerts.map((a) => a.alert.alertType)).toEqual(['invalid-registration', 'expiry-warning']);
    expect(first.alerts[0]?.alert).toMatchObject({
      severity: 'warning',
      reason: expect.stringContaining('2026-02-30'),
    });

    const states = new Map<string, TokenState>([['bad', committed(first, first.alerts[0]?.key)]]);
    const again = planRun(input({ now, registrations: regs, tokenStates: states }));
    expect(again.alerts.map((a) => a.alert.alertType)).toEqual(['expiry-warning']);

    const edited = [registration('bad', '{"createdAt":"2026-02-31"}', now, 5, now)];
    expect(planRun(input({ now, registrations: edited, tokenStates: states })).alerts).toHaveLength(1);
  });

  it('reports a deleted and re-created invalid registration again, though SSM restarted its version at 1', () => {
    const now = new Date('2026-12-16T08:00:00Z');
    const before = registration('bad', 'nope', now, 1, new Date('2026-12-01T09:00:00Z'));
    const plan = planRun(input({ now, registrations: [before] }));
    const states = new Map<string, TokenState>([['bad', committed(plan, plan.alerts[0]?.key)]]);
    const recreated = registration('bad', 'nope', now, 1, new Date('2026-12-16T07:00:00Z'));
    expect(planRun(input({ now, registrations: [recreated], tokenStates: states })).alerts).toHaveLength(1);
  });

  it('reminds weekly about a registration that stays invalid, as critical from the first reminder', () => {
    const day0 = new Date('2026-12-01T08:00:00Z');
    const bad = (now: Date) => registration('bad', 'nope', now, 1, new Date('2026-11-30T09:00:00Z'));
    let states = new Map<string, TokenState>();
    const sent: Array<[string, string, number | undefined]> = [];
    for (let d = 0; d <= 21; d++) {
      const now = addDays(day0, d);
      const plan = planRun(input({ now, registrations: [bad(now)], tokenStates: states }));
      for (const a of plan.alerts) {
        sent.push([isoDate(now), a.alert.severity, a.alert.reminder]);
        states = new Map([['bad', committed(plan, a.key)]]);
      }
    }
    expect(sent).toEqual([
      ['2026-12-01', 'warning', undefined],
      ['2026-12-08', 'critical', 1],
      ['2026-12-15', 'critical', 2],
      ['2026-12-22', 'critical', 3],
    ]);
  });

  it('reminds weekly while a token stays expired, with days remaining 0 or below (what filter policies compare)', () => {
    const expiry = new Date('2027-01-15T00:00:00Z');
    let states = new Map<string, TokenState>();
    const sent: Array<[string, number | undefined, number | undefined]> = [];
    for (let d = 0; d <= 15; d++) {
      const now = addDays(new Date('2027-01-15T08:00:00Z'), d);
      const plan = planRun(
        input({ now, registrations: [registration('okta', '2026-01-15', now)], tokenStates: states }),
      );
      for (const a of plan.alerts) {
        expect(a.alert.alertType).toBe('expired');
        expect(a.alert.daysRemaining).toBeLessThanOrEqual(0);
        sent.push([isoDate(now), a.alert.reminder, a.alert.threshold]);
        states = new Map([['okta', committed(plan, a.key)]]);
      }
    }
    expect(expiry.toISOString()).toBe('2027-01-15T00:00:00.000Z');
    expect(sent).toEqual([
      ['2027-01-15', undefined, 0],
      ['2027-01-22', 1, 0],
      ['2027-01-29', 2, 0],
    ]);
  });

  it('warns when rewriting a SecureString moves its expiry while the token was inside a threshold', () => {
    const now = new Date('2026-12-20T08:00:00Z');
    // The state of the first write's lifecycle: the 30-day alert went out.
    const stored: TokenState = {
      expiresAt: '2027-01-10T09:00:00.000Z',
      alertedThresholds: [60, 30],
      expiredAlerted: false,
    };
    const rewritten = registration(
      'vault',
      'AQICAH-cipher',
      now,
      2,
      new Date('2026-12-19T22:00:00Z'),
      'SecureString',
    );
    const plan = planRun(
      input({ now, registrations: [rewritten], tokenStates: new Map([['vault', stored]]) }),
    );
    expect(plan.alerts).toHaveLength(1);
    expect(plan.alerts[0]?.alert).toMatchObject({
      alertType: 'token-date-moved',
      previousExpiry: new Date('2027-01-10T09:00:00.000Z'),
      reason: expect.stringContaining('the real expiry is still 2027-01-10'),
    });
    // A rewrite long before any threshold, or a JSON registration's new date, says nothing.
    const quiet: TokenState = {
      expiresAt: '2027-06-10T09:00:00.000Z',
      alertedThresholds: [],
      expiredAlerted: false,
    };
    expect(
      planRun(input({ now, registrations: [rewritten], tokenStates: new Map([['vault', quiet]]) })).alerts,
    ).toEqual([]);
  });

  it('flags a registration whose instanceArn matches no instance, and checks nothing when instances are unknown', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    const regs = [
      registration(
        'a',
        '{"createdAt":"2026-06-01","instanceArn":"arn:aws:sso:::instance/ssoins-0000000000000000"}',
        now,
      ),
    ];
    const instances = [
      { instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', identityStoreId: 'd-1234567890' },
    ];
    const flagged = planRun(input({ now, registrations: regs, instances }));
    expect(flagged.alerts[0]?.alert).toMatchObject({
      alertType: 'invalid-registration',
      reason: expect.stringContaining('matches no IAM Identity Center instance'),
    });
    expect(planRun(input({ now, registrations: regs, instances: undefined })).alerts).toEqual([]);
  });

  it('attaches the only instance to an alert', () => {
    const now = new Date('2026-12-16T08:00:00Z');
    const instances = [
      { instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', identityStoreId: 'd-1234567890' },
    ];
    const plan = planRun(input({ now, registrations: [registration('a', '2026-01-15', now)], instances }));
    expect(plan.alerts[0]?.alert.instance).toEqual(instances[0]);
    expect(plan.alerts[0]?.alert.consoleUrl).toBe(
      'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
    );
  });

  it('warns once that nothing is registered, and re-arms when tokens appear', () => {
    const now = new Date('2026-11-23T08:00:00Z');
    const first = planRun(input({ now }));
    expect(first.alerts.map((a) => a.alert.alertType)).toEqual(['no-tokens']);
    const warned: MonitorState = { noTokensAlerted: true, episode: 0 };
    expect(planRun(input({ now, monitorState: warned })).alerts).toEqual([]);
    const back = planRun(
      input({ now, monitorState: warned, registrations: [registration('a', '2026-06-01', now)] }),
    );
    expect(unconditional(back)).toEqual([{ key: 'monitor', state: { noTokensAlerted: false, episode: 1 } }]);
    // The next empty spell is a new alert with a new ledger key.
    const again = planRun(input({ now, monitorState: { noTokensAlerted: false, episode: 1 } }));
    expect(again.alerts[0]?.key).toBe('monitor#no-tokens#1');
  });
});

describe('a full token life, one run a day', () => {
  function simulate(value: string, from: string, days: number) {
    const states = new Map<string, TokenState>();
    const sent: string[] = [];
    let writes = 0;
    for (let day = 0; day < days; day++) {
      const now = addDays(new Date(`${from}T08:00:00Z`), day);
      const regs = [registration('okta-prod', value, now)];
      const plan = planRun(
        input({ now, registrations: regs, tokenStates: states, monitorState: EMPTY_MONITOR_STATE }),
      );
      for (const { alert } of plan.alerts) {
        sent.push(`${isoDate(now)} ${alert.alertType} ${alert.threshold} ${alert.severity}`);
      }
      // Every alert delivered: every commit is written.
      for (const { write } of plan.commits) {
        if ('alertedThresholds' in write.state) states.set('okta-prod', write.state as TokenState);
        writes++;
      }
    }
    return { sent, writes };
  }

  it('sends exactly the 60, 30, 7-day alerts, a reminder each day after, and the expired alert, and nothing else', () => {
    // Created 2026-01-15: expires 2027-01-15; run daily until a week after expiry.
    const { sent, writes } = simulate('2026-01-15', '2026-01-15', 365 + 8);
    expect(sent).toEqual([
      '2026-11-16 expiry-warning 60 info',
      '2026-12-16 expiry-warning 30 warning',
      '2027-01-08 expiry-warning 7 warning',
      '2027-01-09 expiry-warning 7 warning',
      '2027-01-10 expiry-warning 7 warning',
      '2027-01-11 expiry-warning 7 warning',
      '2027-01-12 expiry-warning 7 warning',
      '2027-01-13 expiry-warning 7 warning',
      // The final day pages.
      '2027-01-14 expiry-warning 7 critical',
      '2027-01-15 expired 0 critical',
      // Still registered with the expired token a week later: the weekly reminder.
      '2027-01-22 expired 0 critical',
    ]);
    expect(writes).toBe(11);
  });

  it('over a leap year, counts the 29th of February', () => {
    // Created 2027-06-01: expires 2028-05-31 (2028 is a leap year).
    const { sent } = simulate('2027-06-01', '2027-06-01', 366 + 3);
    expect(sent).toEqual([
      '2028-04-01 expiry-warning 60 info',
      '2028-05-01 expiry-warning 30 warning',
      '2028-05-24 expiry-warning 7 warning',
      '2028-05-25 expiry-warning 7 warning',
      '2028-05-26 expiry-warning 7 warning',
      '2028-05-27 expiry-warning 7 warning',
      '2028-05-28 expiry-warning 7 warning',
      '2028-05-29 expiry-warning 7 warning',
      '2028-05-30 expiry-warning 7 critical',
      '2028-05-31 expired 0 critical',
    ]);
  });
});
