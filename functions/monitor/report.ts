/**
 * What a run tells CloudWatch: one log line per token and a summary (structured JSON, no
 * secret: registrations' values are never logged), and metrics in the Embedded Metric Format,
 * which CloudWatch extracts from the logs, so they cost no API call.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { type Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';
import { METRICS, tokensWithinMetric } from '../../core/contract';
import type { RunPlan, TokenEvaluation } from '../../core/plan';
import type { DeliveryResult } from './deliver';
import type { MonitorPlan } from './read';

export interface RunSummary {
  readonly evaluatedAt: string;
  readonly tokensMonitored: number;
  readonly invalidRegistrations: number;
  readonly alertsPlanned: number;
  readonly alertsSent: number;
  readonly failures: number;
  /** Stored tokens whose probe got neither a yes nor a no (endpoint unreachable, odd answer). */
  readonly probesInconclusive: number;
}

/** One token's line in the run's log. */
export function logToken(e: TokenEvaluation, logger: Pick<Logger, 'info'>): void {
  logger.info('token evaluated', {
    tokenName: e.name,
    expiresAt: e.expiresAt.toISOString(),
    daysRemaining: e.daysRemaining,
    alert: e.alertType ?? 'none',
  });
}

/** One token's `DaysToExpiry` (dimension `TokenName`), published at once through one reused instance. */
export function emitTokenMetric(e: TokenEvaluation, tokenMetrics: Metrics): void {
  tokenMetrics.addDimension(METRICS.dimensions.tokenName, e.name);
  tokenMetrics.addMetric(METRICS.daysToExpiry, MetricUnit.Count, e.daysRemaining);
  tokenMetrics.publishStoredMetrics();
}

/** The lines of the tokens in the plan (quiet ones were logged as the registry was read), and invalid ones. */
export function logTokens(plan: RunPlan, logger: Pick<Logger, 'info' | 'warn'>): void {
  for (const e of plan.evaluations) logToken(e, logger);
  for (const bad of plan.invalid) {
    logger.warn('invalid registration', { tokenName: bad.name, version: bad.version, reason: bad.reason });
  }
}

/**
 * The run's totals, tokens per threshold bucket (`TokensWithin<N>Days`, `TokensExpired`: a fixed
 * number of metrics whatever the registry's size), and `DaysToExpiry` per token (dimension
 * `TokenName`) only when `tokenMetrics` is on, each token then being one custom metric. `RunSucceeded` is what the "not run" alarm watches.
 *
 * Per-token lines go through one reused `tokenMetrics` instance, published after each token:
 * `metrics.singleMetric()` built a new Metrics (and Console) per token, which kept memory growing
 * with the registry (about 10 KB a token).
 */
export function emitMetrics(
  plan: MonitorPlan,
  summary: RunSummary,
  metrics: Metrics,
  tokenMetrics: Metrics | undefined,
  thresholds: readonly number[],
  probing: boolean,
): void {
  if (tokenMetrics) for (const e of plan.evaluations) emitTokenMetric(e, tokenMetrics);
  // Flat in the number of tokens: how many are inside each alert threshold, and expired (quiet
  // tokens are outside every threshold).
  for (const t of thresholds) {
    metrics.addMetric(
      tokensWithinMetric(t),
      MetricUnit.Count,
      plan.evaluations.filter((e) => e.daysRemaining >= 0 && e.daysRemaining <= t).length,
    );
  }
  metrics.addMetric(
    METRICS.tokensExpired,
    MetricUnit.Count,
    plan.evaluations.filter((e) => e.daysRemaining < 0).length,
  );
  const nearest = plan.evaluations.reduce(
    (min, e) => Math.min(min, e.daysRemaining),
    plan.quiet.minDaysRemaining ?? Number.POSITIVE_INFINITY,
  );
  if (Number.isFinite(nearest)) metrics.addMetric(METRICS.minDaysToExpiry, MetricUnit.Count, nearest);
  metrics.addMetric(METRICS.tokensMonitored, MetricUnit.Count, summary.tokensMonitored);
  metrics.addMetric(METRICS.invalidRegistrations, MetricUnit.Count, summary.invalidRegistrations);
  metrics.addMetric(METRICS.alertsSent, MetricUnit.Count, summary.alertsSent);
  metrics.addMetric(METRICS.deliveryFailures, MetricUnit.Count, summary.failures);
  // Only where the probe is on: one custom metric fewer for everybody else (10 in all, the free tier).
  if (probing) metrics.addMetric(METRICS.probesInconclusive, MetricUnit.Count, summary.probesInconclusive);
  metrics.addMetric(METRICS.runSucceeded, MetricUnit.Count, summary.failures === 0 ? 1 : 0);
  metrics.publishStoredMetrics();
}

export function summarize(
  plan: MonitorPlan,
  result: DeliveryResult,
  now: Date,
  probesInconclusive = 0,
): RunSummary {
  return {
    evaluatedAt: now.toISOString(),
    tokensMonitored: plan.tokens.length + plan.quiet.tokens,
    invalidRegistrations: plan.invalid.length,
    alertsPlanned: plan.alerts.length,
    alertsSent: result.alertsSent,
    failures: result.failures.length,
    probesInconclusive,
  };
}
