/**
 * The monitor's own metrics (Embedded Metric Format, written by the function, no API call), as
 * CloudWatch metric objects for alarms and dashboards: named by the contract (core/contract.ts)
 * and scoped to one deployment's function.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import { METRICS, SERVICE_NAMES, tokensWithinMetric } from '../core/contract';

/** Each metric's defaults: one data point a day (the schedule's pace) unless said otherwise. */
const DAY = { period: Duration.days(1) };

export class MonitorMetrics {
  constructor(private readonly fn: lambda.IFunction) {}

  private metric(metricName: string, statistic: string, options?: cloudwatch.MetricOptions) {
    return new cloudwatch.Metric({
      namespace: METRICS.namespace,
      metricName,
      dimensionsMap: {
        [METRICS.dimensions.service]: SERVICE_NAMES.monitor,
        [METRICS.dimensions.functionName]: this.fn.functionName,
      },
      statistic,
      ...DAY,
      ...options,
    });
  }

  /** 1 for each scheduled run that delivered everything (what the "not run" alarm watches). */
  runSucceeded(options?: cloudwatch.MetricOptions) {
    return this.metric(METRICS.runSucceeded, cloudwatch.Stats.SUM, options);
  }
  /** The fewest days any registered token has left (negative once expired). */
  minDaysToExpiry(options?: cloudwatch.MetricOptions) {
    return this.metric(METRICS.minDaysToExpiry, cloudwatch.Stats.MINIMUM, options);
  }
  /** Tokens inside one alert threshold (one metric per configured threshold). */
  tokensWithin(thresholdDays: number, options?: cloudwatch.MetricOptions) {
    return this.metric(tokensWithinMetric(thresholdDays), cloudwatch.Stats.MAXIMUM, options);
  }
  tokensExpired(options?: cloudwatch.MetricOptions) {
    return this.metric(METRICS.tokensExpired, cloudwatch.Stats.MAXIMUM, options);
  }
  tokensMonitored(options?: cloudwatch.MetricOptions) {
    return this.metric(METRICS.tokensMonitored, cloudwatch.Stats.MAXIMUM, options);
  }
  invalidRegistrations(options?: cloudwatch.MetricOptions) {
    return this.metric(METRICS.invalidRegistrations, cloudwatch.Stats.MAXIMUM, options);
  }
  alertsSent(options?: cloudwatch.MetricOptions) {
    return this.metric(METRICS.alertsSent, cloudwatch.Stats.SUM, options);
  }
  deliveryFailures(options?: cloudwatch.MetricOptions) {
    return this.metric(METRICS.deliveryFailures, cloudwatch.Stats.SUM, options);
  }
  /** Stored tokens whose daily check got no clear answer (only where the probe is on). */
  probesInconclusive(options?: cloudwatch.MetricOptions) {
    return this.metric(METRICS.probesInconclusive, cloudwatch.Stats.SUM, options);
  }
  /** Every token's days to expiry (with `tokenMetrics` only): a search over the per-token metric. */
  daysToExpiryPerToken(): cloudwatch.MathExpression {
    const { namespace, dimensions: d, daysToExpiry } = METRICS;
    return new cloudwatch.MathExpression({
      expression: `SEARCH('{${namespace},${d.functionName},${d.tokenName},${d.service}} MetricName="${daysToExpiry}" ${d.functionName}="${this.fn.functionName}"', 'Minimum', 86400)`,
      label: '',
      period: Duration.days(1),
    });
  }
}
