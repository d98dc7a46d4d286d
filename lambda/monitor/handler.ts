/**
 * The scheduled entry point: a thin adapter. It fixes the evaluation instant from the event,
 * runs the evaluation and the delivery, reports to CloudWatch, and fails the invocation when
 * anything could not be delivered (so Lambda retries the event and the alarms fire).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { loadConfig, type MonitorConfig } from './config';
import { type HealthOutcome, reconcileHealthEvent } from './health';
import { probeStoredTokens } from './probe';
import { emitMetrics, logTokens, METRICS_NAMESPACE, type RunSummary, summarize } from './report';
import { deliver, evaluate } from './run';

const logger = new Logger({ serviceName: 'scim-token-monitor' });
// FunctionName tells this deployment's metrics from another monitor's in the same account.
const METRICS_OPTIONS = {
  namespace: METRICS_NAMESPACE,
  serviceName: 'scim-token-monitor',
  defaultDimensions: { FunctionName: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local' },
};
const metrics = new Metrics(METRICS_OPTIONS);
/** One line per token (its own TokenName dimension), one instance for all of them. */
const tokenMetrics = new Metrics(METRICS_OPTIONS);
let config: MonitorConfig | undefined;

/**
 * The event EventBridge sends: on schedule (only `time` matters, and only when it is valid), or
 * an AWS Health event about a SCIM token expiry (`source: aws.health`).
 */
export interface MonitorEvent {
  readonly time?: string;
  readonly id?: string;
  readonly source?: string;
}

export type { RunSummary };

/** The evaluation instant: the scheduled event's `time`, so a re-run of the same event decides the same. */
export function evaluationInstant(
  event: MonitorEvent | undefined,
  clock: () => Date = () => new Date(),
): Date {
  const time = event?.time ? new Date(event.time) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : clock();
}

export async function handler(event: MonitorEvent | undefined): Promise<RunSummary | HealthOutcome> {
  config ??= loadConfig(process.env);
  const now = evaluationInstant(event);
  logger.appendKeys({ evaluatedAt: now.toISOString(), eventId: event?.id });

  if (event?.source === 'aws.health') {
    // Not a scheduled run: it emits no run metrics, so it can never satisfy the "not run" alarm.
    const outcome = await reconcileHealthEvent(config, event, now, logger);
    const failures = 'delivery' in outcome ? (outcome.delivery?.failures ?? []) : [];
    if (failures.length > 0)
      throw new Error(`${failures.length} delivery step(s) failed; first: ${failures[0]}`);
    return outcome;
  }

  const evaluated = await evaluate(config, now, logger);
  logTokens(evaluated, logger);
  const probe = await probeStoredTokens(config, evaluated, now, logger);
  const plan = {
    ...evaluated,
    alerts: [...evaluated.alerts, ...probe.alerts],
    writes: [...evaluated.writes, ...probe.writes],
  };
  const result = await deliver(plan, config, now, logger);
  const summary = summarize(plan, result, now, probe.inconclusive);
  emitMetrics(plan, summary, metrics, config.tokenMetrics ? tokenMetrics : undefined);
  logger.info('run complete', { ...summary });
  if (result.failures.length > 0) {
    throw new Error(`${result.failures.length} delivery step(s) failed; first: ${result.failures[0]}`);
  }
  return summary;
}
