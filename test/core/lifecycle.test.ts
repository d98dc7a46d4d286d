/** One token's lifecycle decision (core/lifecycle.ts): thresholds, reminders, rotations. */
import { decideToken } from '../../core/lifecycle';
import type { Token } from '../../core/registration';
import { ladderOf, severityFor } from '../../core/severity';
import { EMPTY_TOKEN_STATE, type TokenState } from '../../core/state';

const prefix = '/scim-token-monitor/tokens/';
const thresholds = ladderOf({ thresholdsDays: [60, 30, 7] });

function token(expiresAt: string): Token {
  return {
    name: 'okta-prod',
    parameterName: `${prefix}okta-prod`,
    version: 1,
    revision: '1',
    source: 'json',
    expiresAt: new Date(expiresAt),
    expiryExplicit: true,
    validityDays: 365,
  };
}

describe('decideToken', () => {
  const t = token('2027-01-15T00:00:00Z');
  const on = (date: string) => new Date(`${date}T08:00:00Z`);

  it.each([
    ['2026-11-15', 61, 'none'],
    ['2026-11-16', 60, 60],
    ['2026-12-16', 30, 30],
    ['2027-01-08', 7, 7],
  ])('on %s (%i days left) with no state: %s', (date, _days, expected) => {
    const d = decideToken(t, EMPTY_TOKEN_STATE, on(date), thresholds);
    expect(d.kind === 'alert' ? d.threshold : d.kind).toBe(expected);
  });

  it('fires a threshold only once per lifecycle', () => {
    const first = decideToken(t, EMPTY_TOKEN_STATE, on('2026-11-16'), thresholds);
    if (first.kind !== 'alert') throw new Error('expected an alert');
    expect(decideToken(t, first.state, on('2026-11-17'), thresholds)).toEqual({ kind: 'none' });
  });

  it('after missed runs, alerts once for the most urgent crossed threshold and marks the others done', () => {
    const d = decideToken(t, EMPTY_TOKEN_STATE, on('2027-01-10'), thresholds);
    expect(d).toMatchObject({ kind: 'alert', alertType: 'expiry-warning', threshold: 7 });
    expect(d.kind === 'alert' && [...d.state.alertedThresholds].sort()).toEqual([30, 60, 7]);
  });

  it('sends one expired alert once the expiry instant has passed, then nothing', () => {
    const state: TokenState = {
      expiresAt: t.expiresAt.toISOString(),
      alertedThresholds: [60, 30, 7],
      expiredAlerted: false,
    };
    const d = decideToken(t, state, new Date('2027-01-15T00:00:00Z'), thresholds);
    expect(d).toMatchObject({ kind: 'alert', alertType: 'expired', threshold: 0 });
    if (d.kind !== 'alert') throw new Error('expected an alert');
    expect(decideToken(t, d.state, new Date('2027-01-21T00:00:00Z'), thresholds)).toEqual({ kind: 'none' });
    // A week after the expiry, a reminder (see planRun's weekly reminders).
    expect(decideToken(t, d.state, new Date('2027-01-22T08:00:00Z'), thresholds)).toMatchObject({
      kind: 'alert',
      reminder: 1,
    });
  });

  it('does not call a token expired on its last day before the expiry instant', () => {
    const late = token('2027-01-15T18:00:00Z');
    const state: TokenState = {
      expiresAt: late.expiresAt.toISOString(),
      alertedThresholds: [60, 30, 7],
      expiredAlerted: false,
    };
    expect(decideToken(late, state, new Date('2027-01-15T08:00:00Z'), thresholds)).toEqual({ kind: 'none' });
  });

  it('resets the state when the expiry changes (rotation) and alerts at once if already inside a threshold', () => {
    const old: TokenState = {
      expiresAt: '2026-12-01T00:00:00.000Z',
      alertedThresholds: [60, 30, 7],
      expiredAlerted: true,
      invalid: { revision: '2', since: '2026-11-01T08:00:00.000Z', reminded: 0 },
    };
    const rotated = token('2027-01-10T00:00:00Z'); // 48 days after 2026-11-23
    const d = decideToken(rotated, old, new Date('2026-11-23T08:00:00Z'), thresholds);
    expect(d).toMatchObject({
      kind: 'alert',
      threshold: 60,
      state: {
        expiresAt: '2027-01-10T00:00:00.000Z',
        alertedThresholds: [60],
        expiredAlerted: false,
        invalid: { revision: '2', since: '2026-11-01T08:00:00.000Z', reminded: 0 },
      },
    });
  });

  it('does not step back to a less urgent threshold added after a more urgent one fired', () => {
    const state: TokenState = {
      expiresAt: t.expiresAt.toISOString(),
      alertedThresholds: [60, 30, 7],
      expiredAlerted: false,
    };
    const d = decideToken(t, state, on('2027-01-10'), ladderOf({ thresholdsDays: [90, 60, 30, 7] }));
    expect(d).toEqual({
      kind: 'write',
      state: expect.objectContaining({ alertedThresholds: [60, 30, 7, 90] }),
    });
  });

  it('reminds daily from the last threshold until expiry, once a day, paging only on the final day', () => {
    let state: TokenState = EMPTY_TOKEN_STATE;
    const sent: Array<[string, number, number, string]> = [];
    for (let d = 0; d <= 60; d++) {
      const at = new Date(Date.UTC(2026, 10, 16 + d, 8));
      for (const run of [at, new Date(at.getTime() + 3_600_000)]) {
        const decision = decideToken(t, state, run, thresholds);
        if (decision.kind === 'none') continue;
        state = decision.state;
        if (decision.kind !== 'alert') continue;
        const days = Math.round((t.expiresAt.getTime() - Date.UTC(2026, 10, 16 + d)) / 86_400_000);
        sent.push([
          run.toISOString().slice(0, 10),
          days,
          decision.reminder,
          severityFor(days, decision.threshold, thresholds),
        ]);
      }
    }
    expect(sent).toEqual([
      ['2026-11-16', 60, 0, 'info'],
      ['2026-12-16', 30, 0, 'warning'],
      ['2027-01-08', 7, 0, 'warning'],
      ['2027-01-09', 6, 1, 'warning'],
      ['2027-01-10', 5, 2, 'warning'],
      ['2027-01-11', 4, 3, 'warning'],
      ['2027-01-12', 3, 4, 'warning'],
      ['2027-01-13', 2, 5, 'warning'],
      ['2027-01-14', 1, 6, 'critical'],
      ['2027-01-15', 0, 0, 'critical'],
    ]);
  });

  it('sends no daily reminder with dailyRemindersWithinDays 0, and starts earlier when asked', () => {
    const off = ladderOf({ thresholdsDays: [60, 30, 7], dailyRemindersWithinDays: 0 });
    const state: TokenState = {
      expiresAt: t.expiresAt.toISOString(),
      alertedThresholds: [60, 30, 7],
      expiredAlerted: false,
    };
    expect(decideToken(t, state, on('2027-01-12'), off)).toEqual({ kind: 'none' });
    const early = ladderOf({ thresholdsDays: [60, 30, 7], dailyRemindersWithinDays: 14 });
    const after30: TokenState = { ...state, alertedThresholds: [60, 30] };
    expect(decideToken(t, after30, on('2027-01-03'), early)).toMatchObject({
      kind: 'alert',
      threshold: 30,
      reminder: 2,
    });
  });
});
