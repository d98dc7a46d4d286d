/**
 * The scheduled entry point: a thin adapter. It fixes the evaluation instant from the event,
 * runs the evaluation and the delivery, logs a summary, and fails the invocation when anything
 * could not be delivered (so Lambda retries and alarms can fire).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { loadConfig, type MonitorConfig } from './config';
import { deliver, evaluate } from './run';

const logger = new Logger({ serviceName: 'scim-token-monitor' });
let config: MonitorConfig | undefined;

/** The event EventBridge sends on schedule; only `time` matters, and only when it is valid. */
export interface MonitorEvent {
  readonly time?: string;
  readonly id?: string;
}

export interface RunSummary {
  readonly evaluatedAt: string;
  readonly tokensMonitored: number;
  readonly invalidRegistrations: number;
  readonly alertsPlanned: number;
  readonly alertsSent: number;
  readonly failures: number;
}

/** The evaluation instant: the scheduled event's `time`, so a re-run of the same event decides the same. */
export function evaluationInstant(
  event: MonitorEvent | undefined,
  clock: () => Date = () => new Date(),
): Date {
  const time = event?.time ? new Date(event.time) : undefined;
  return time && !Number.isNaN(time.getTime()) ? time : clock();
}

export async function handler(event: MonitorEvent | undefined): Promise<RunSummary> {
  config ??= loadConfig(process.env);
  const now = evaluationInstant(event);
  logger.appendKeys({ evaluatedAt: now.toISOString(), eventId: event?.id });

  const plan = await evaluate(config, now, logger);
  for (const bad of plan.invalid) {
    logger.warn('invalid registration', { tokenName: bad.name, version: bad.version, reason: bad.reason });
  }
  const result = await deliver(plan, config, now, logger);
  const summary: RunSummary = {
    evaluatedAt: now.toISOString(),
    tokensMonitored: plan.tokens.length,
    invalidRegistrations: plan.invalid.length,
    alertsPlanned: plan.alerts.length,
    alertsSent: result.alertsSent,
    failures: result.failures.length,
  };
  logger.info('run complete', { ...summary });
  if (result.failures.length > 0) {
    throw new Error(`${result.failures.length} delivery step(s) failed; first: ${result.failures[0]}`);
  }
  return summary;
}
