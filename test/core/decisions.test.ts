/**
 * The small pure modules the planner and the CLI lean on: severity, status, matching, the probe's
 * decision and the subscribers' decision. Table-driven, a fixed now, no mocks.
 */

import { matchingToken } from '../../core/matching';
import { decideProbe } from '../../core/probe';
import type { Token } from '../../core/registration';
import { ladderOf, severityFor } from '../../core/severity';
import { EMPTY_PROBE_STATE, EMPTY_TOKEN_STATE } from '../../core/state';
import { tokenStatus } from '../../core/status';
import { decideSubscribers } from '../../core/subscribers';

const NOW = new Date('2026-12-16T08:00:00Z');
const ORIGIN = {
  region: 'eu-west-1',
  registryPrefix: '/scim-token-monitor/tokens/',
  account: '123456789012',
};

function token(expiresAt: string, extra: Partial<Token> = {}): Token {
  return {
    name: 'okta',
    parameterName: '/scim-token-monitor/tokens/okta',
    version: 1,
    revision: '1',
    source: 'json',
    expiresAt: new Date(expiresAt),
    expiryExplicit: true,
    validityDays: 365,
    ...extra,
  };
}

describe('severityFor', () => {
  const ladder = (thresholdsDays: number[], pageWithinDays?: number) =>
    ladderOf({ thresholdsDays, ...(pageWithinDays === undefined ? {} : { pageWithinDays }) });
  it.each([
    [60, 60, [60, 30, 7], undefined, 'info'],
    [30, 30, [60, 30, 7], undefined, 'warning'],
    // The 7-day alert can wait for working hours: a week is left.
    [7, 7, [60, 30, 7], undefined, 'warning'],
    [1, 7, [60, 30, 7], undefined, 'critical'],
    [45, 45, [45, 14, 3], undefined, 'info'],
    [3, 3, [45, 14, 3], undefined, 'warning'],
    // A team that pages three days out.
    [3, 3, [45, 14, 3], 3, 'critical'],
    // A late threshold alert inside the page window pages.
    [1, 60, [60, 30, 7], undefined, 'critical'],
  ] as const)(
    '%i days left, threshold %i of %j (page within %s): %s',
    (days, threshold, thresholds, page, severity) => {
      expect(severityFor(days, threshold, ladder([...thresholds], page))).toBe(severity);
    },
  );
});

describe('tokenStatus', () => {
  const t = token('2027-01-15T00:00:00Z');
  it('names the next alert and its date', () => {
    expect(
      tokenStatus(
        t,
        EMPTY_TOKEN_STATE,
        new Date('2026-11-01T08:00:00Z'),
        ladderOf({ thresholdsDays: [60, 30, 7] }),
      ),
    ).toEqual({
      daysRemaining: 75,
      expired: false,
      lastAlert: null,
      nextAlert: { label: '60-day', date: new Date('2026-11-16T00:00:00Z') },
    });
  });
  it('says a crossed threshold is due now, and forgets state of another lifecycle', () => {
    const old = {
      expiresAt: '2026-01-01T00:00:00.000Z',
      alertedThresholds: [60, 30, 7],
      expiredAlerted: true,
    };
    expect(tokenStatus(t, old, NOW, ladderOf({ thresholdsDays: [60, 30, 7] }))).toMatchObject({
      lastAlert: null,
      nextAlert: { label: '30-day', date: NOW },
    });
  });
  it('has no next alert once the expiry was reported', () => {
    const done = {
      expiresAt: t.expiresAt.toISOString(),
      alertedThresholds: [60, 30, 7],
      expiredAlerted: true,
    };
    expect(
      tokenStatus(t, done, new Date('2027-01-16T08:00:00Z'), ladderOf({ thresholdsDays: [60, 30, 7] })),
    ).toMatchObject({
      expired: true,
      lastAlert: 'expired',
      nextAlert: null,
    });
  });
});

describe('matchingToken', () => {
  const at = new Date('2027-01-15T10:30:00Z');
  it('matches the same UTC day or within 12 hours, the nearest first', () => {
    const a = token('2027-01-15T00:00:00Z', { name: 'a' });
    const b = token('2027-01-15T09:00:00Z', { name: 'b' });
    const c = token('2027-01-16T12:00:00Z', { name: 'c' });
    expect(matchingToken(at, [a, b, c])?.name).toBe('b');
    expect(matchingToken(at, [c])).toBeUndefined();
  });
  it("matches only within the notice's account and instance when both name one", () => {
    const mine = token('2027-01-15T00:00:00Z', { name: 'mine', account: '111111111111' });
    const anyAccount = token('2027-01-15T00:00:00Z', { name: 'any' });
    expect(matchingToken(at, [mine], { account: '222222222222' })).toBeUndefined();
    expect(matchingToken(at, [mine], { account: '111111111111' })?.name).toBe('mine');
    expect(matchingToken(at, [anyAccount], { account: '222222222222' })?.name).toBe('any');
    const there = token('2027-01-15T00:00:00Z', { instanceArn: 'arn:aws:sso:::instance/ssoins-1' });
    expect(matchingToken(at, [there], { instanceArn: 'arn:aws:sso:::instance/ssoins-2' })).toBeUndefined();
  });
});

describe('decideProbe', () => {
  const t = token('2027-06-01T00:00:00Z', {
    source: 'secure-string',
    revision: '3@2026-06-01T00:00:00.000Z',
  });
  it('alerts once per revision when the endpoint rejects the token, and commits after the alert', () => {
    const d = decideProbe(t, 'rejected', EMPTY_PROBE_STATE, NOW, ORIGIN);
    expect(d.alert?.alert).toMatchObject({ alertType: 'token-rejected', severity: 'critical' });
    expect(d.commit?.after).toEqual([d.alert?.key]);
    const again = decideProbe(t, 'rejected', d.commit?.write.state as typeof EMPTY_PROBE_STATE, NOW, ORIGIN);
    expect(again.alert).toBeUndefined();
  });
  it('alerts after three inconclusive days, once per spell, and forgets on an answer', () => {
    const day = (n: number) => new Date(NOW.getTime() + n * 86_400_000);
    let state = EMPTY_PROBE_STATE;
    const alerts: number[] = [];
    for (let n = 0; n < 6; n++) {
      const d = decideProbe(t, 'inconclusive', state, day(n), ORIGIN);
      if (d.alert) alerts.push(n);
      if (d.commit) state = d.commit.write.state as typeof state;
    }
    expect(alerts).toEqual([3]);
    expect(decideProbe(t, 'accepted', state, day(6), ORIGIN).commit).toEqual({
      write: { key: 'probe/okta', state: EMPTY_PROBE_STATE },
      after: [],
    });
  });
});

describe('decideSubscribers', () => {
  it('records the first count quietly, and alerts on each drop, critical at zero', () => {
    expect(decideSubscribers({ confirmed: 2, pending: 0 }, undefined, NOW, ORIGIN)).toEqual({
      commit: { write: { key: 'subscribers', state: { confirmed: 2, drops: 0 } }, after: [] },
    });
    const drop = decideSubscribers({ confirmed: 1, pending: 0 }, { confirmed: 2, drops: 0 }, NOW, ORIGIN);
    expect(drop.alert?.alert).toMatchObject({ alertType: 'subscribers-dropped', severity: 'warning' });
    expect(drop.commit).toEqual({
      write: { key: 'subscribers', state: { confirmed: 1, drops: 1 } },
      after: ['subscribers#drop#1'],
    });
    const none = decideSubscribers({ confirmed: 0, pending: 1 }, { confirmed: 1, drops: 1 }, NOW, ORIGIN);
    expect(none.alert).toMatchObject({ key: 'subscribers#drop#2', alert: { severity: 'critical' } });
  });
  it('says nothing when the count is unknown or unchanged, and warns once about a topic nobody will ever hear', () => {
    expect(decideSubscribers(undefined, { confirmed: 2, drops: 0 }, NOW, ORIGIN)).toEqual({});
    expect(decideSubscribers({ confirmed: 2, pending: 0 }, { confirmed: 2, drops: 0 }, NOW, ORIGIN)).toEqual(
      {},
    );
    expect(
      decideSubscribers({ confirmed: 0, pending: 0 }, undefined, NOW, ORIGIN).alert?.alert.severity,
    ).toBe('critical');
    // Pending confirmations on a fresh deployment are not a drop.
    expect(decideSubscribers({ confirmed: 0, pending: 2 }, undefined, NOW, ORIGIN).alert).toBeUndefined();
  });
});
