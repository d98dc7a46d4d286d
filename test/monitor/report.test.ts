/** What a run tells CloudWatch (functions/monitor/report.ts): a fixed set of metrics, whatever the registry. */
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { EMPTY_MONITOR_STATE } from '../../core/state';
import type { MonitorPlan } from '../../functions/monitor/read';
import { emitMetrics, summarize } from '../../functions/monitor/report';

function recorder() {
  const metrics: Array<[string, number]> = [];
  let published = 0;
  const fake = {
    addMetric: (name: string, _unit: string, value: number) => void metrics.push([name, value]),
    addDimension: () => undefined,
    publishStoredMetrics: () => void published++,
  } as unknown as Metrics;
  return { fake, metrics, published: () => published };
}

const evaluation = (name: string, daysRemaining: number) => ({
  name,
  expiresAt: new Date('2027-01-15T00:00:00Z'),
  daysRemaining,
});
const plan: MonitorPlan = {
  alerts: [],
  commits: [],
  evaluations: [evaluation('a', 45), evaluation('b', 5), evaluation('c', -3)],
  tokens: [],
  invalid: [],
  monitor: EMPTY_MONITOR_STATE,
  quiet: { tokens: 100, minDaysRemaining: 90 },
};

describe('the run report', () => {
  it('emits the bucket, total and RunSucceeded metrics once, and the probe metric only with the probe on', () => {
    const summary = summarize(
      plan,
      { alertsSent: 2, inFlightElsewhere: 0, failures: [], conflicts: [] },
      new Date(),
    );
    expect(summary).toMatchObject({ tokensMonitored: 100, alertsSent: 2, failures: 0 });
    const { fake, metrics, published } = recorder();
    emitMetrics(plan, summary, fake, undefined, [60, 30, 7], false);
    expect(Object.fromEntries(metrics)).toEqual({
      TokensWithin60Days: 2,
      TokensWithin30Days: 1,
      TokensWithin7Days: 1,
      TokensExpired: 1,
      MinDaysToExpiry: -3,
      TokensMonitored: 100,
      InvalidRegistrations: 0,
      AlertsSent: 2,
      DeliveryFailures: 0,
      RunSucceeded: 1,
    });
    expect(published()).toBe(1);
    const probing = recorder();
    emitMetrics(plan, { ...summary, failures: 1 }, probing.fake, undefined, [60, 30, 7], true);
    expect(Object.fromEntries(probing.metrics)).toMatchObject({ ProbesInconclusive: 0, RunSucceeded: 0 });
  });
});
