/**
 * The entry point: a thin adapter. It decides what kind of invocation this is (a genuine scheduled
 * run, a manual run, a replay of a date, an AWS Health notice), runs the evaluation, delivers,
 * probes stored tokens and delivers what the probe found, reports to CloudWatch, and fails the
 * invocation when anything could not be delivered (so Lambda retries it and the alarms fire).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { withDigest } from '../../core/digest';
import { awsSources } from './aws-sources';
import { loadConfig, type MonitorConfig } from './config';
import { deliver, type Invocation } from './deliver';
import { type HealthOutcome, reconcileHealthEvent } from './health';
import { invocationMode, type MonitorEvent } from './invocation';
import { probeStoredTokens } from './probe';
import {
  emitMetrics,
  emitTokenMetric,
  logToken,
  logTokens,
  METRICS_NAMESPACE,
  type RunSummary,
  summarize,
} from './report';
import { evaluate, originOf } from './run';

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

/** Time kept back from the probe for delivering what it finds and reporting. */
const PROBE_RESERVE_MS = 60_000;
/** The probe never takes longer than this, whatever time is left. */
const PROBE_BUDGET_MS = 120_000;
/** A claim outlives its invocation by this much (clock skew between Lambda and DynamoDB). */
const LEASE_MARGIN_MS = 60_000;

/** What the handler needs of Lambda's context (absent when called by hand in tests). */
export interface InvocationContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export type { MonitorEvent, RunSummary };

export async function handler(
  event: MonitorEvent | undefined,
  context?: InvocationContext,
): Promise<RunSummary | HealthOutcome> {
  config ??= loadConfig(process.env);
  const clock = new Date();
  const mode = invocationMode(event, clock);
  const now = mode.at;
  const remainingMs = context?.getRemainingTimeInMillis() ?? 300_000;
  const invocation: Invocation = {
    owner: context?.awsRequestId ?? `local-${clock.getTime()}-${Math.random().toString(36).slice(2)}`,
    leaseUntil: new Date(clock.getTime() + remainingMs + LEASE_MARGIN_MS),
    dryRun: mode.dryRun,
  };
  logger.appendKeys({ evaluatedAt: now.toISOString(), eventId: event?.id, invocation: mode.kind });
  if (mode.kind === 'replay') {
    logger.warn(
      'replay of a date: a dry run that logs what it would send and writes nothing (use `scim-token-monitor check --at` to see a date)',
      { requestedTime: event?.time },
    );
  } else if (mode.kind === 'manual') {
    logger.info('a check at the current time: it logs what is due and sends nothing; the schedule sends it');
  }
  const sources = awsSources(config.ledgerTable);

  if (mode.kind === 'health') {
    // Not a scheduled run: it emits no run metrics, so it can never satisfy the "not run" alarm.
    const outcome = await reconcileHealthEvent(config, event, now, logger, sources, invocation);
    const failures = 'delivery' in outcome ? (outcome.delivery?.failures ?? []) : [];
    if (failures.length > 0)
      throw new Error(`${failures.length} delivery step(s) failed; first: ${failures[0]}`);
    return outcome;
  }

  // Quiet tokens are logged (and, with tokenMetrics, measured) as the registry is read, and then
  // only counted: memory stays flat however many tokens are registered.
  const perToken = config.tokenMetrics && mode.reportsRun ? tokenMetrics : undefined;
  const plan = await evaluate(config, now, logger, sources, {
    keep: new Set(config.verifyTokens),
    onQuiet: (e) => {
      logToken(e, logger);
      if (perToken) emitTokenMetric(e, perToken);
    },
  });
  logTokens(plan, logger);
  // Flood control: past `digestAfter` alerts, the non-critical ones go out as one digest.
  const alerts = withDigest(plan.alerts, config.digestAfter, now, originOf(config));
  const delivered = await deliver({ ...plan, alerts }, config, invocation, now, logger);
  // The probe runs after the alerts went out, within what is left of the invocation.
  const budgetMs = Math.max(0, Math.min(PROBE_BUDGET_MS, remainingMs - PROBE_RESERVE_MS));
  const probe = await probeStoredTokens(config, plan, now, logger, sources, budgetMs);
  const probed = await deliver(probe, config, invocation, now, logger);
  const result = {
    alertsSent: delivered.alertsSent + probed.alertsSent,
    inFlightElsewhere: delivered.inFlightElsewhere + probed.inFlightElsewhere,
    failures: [...delivered.failures, ...probed.failures],
  };
  const summary = summarize(
    { ...plan, alerts: [...plan.alerts, ...probe.alerts] },
    result,
    now,
    probe.inconclusive,
  );
  // A replay is not a run: it must not satisfy the "not run" alarm. A check now is.
  if (mode.reportsRun)
    emitMetrics(plan, summary, metrics, perToken, config.thresholdsDays, config.verifyTokens.length > 0);
  logger.info('run complete', { ...summary, dryRun: mode.dryRun });
  if (result.failures.length > 0) {
    throw new Error(`${result.failures.length} delivery step(s) failed; first: ${result.failures[0]}`);
  }
  return summary;
}
