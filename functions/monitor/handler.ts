/**
 * The entry point: a thin adapter. It reads the configuration once, tells what kind of invocation
 * this is (a scheduled run, a check at the current time, a replay of a date, an AWS Health
 * notice), plugs AWS into the ports, and hands over to run.ts or health.ts. A run that could not
 * deliver everything fails, so Lambda retries it and the alarms fire.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { parseScimEndpoint, type ScimEndpoint } from '../../adapters/scim';
import { METRICS, SERVICE_NAMES } from '../../core/contract';
import { originOf } from '../../core/plan';
import type { TokenChecker } from '../../core/ports';
import { awsLedger, awsSinks, awsSources, awsTokenChecker, ENTRY_RETRY_DELAYS_MS } from './aws-ports';
import { loadConfig, type MonitorConfig } from './config';
import type { DeliveryContext } from './deliver';
import { type CloudFormationEvent, deployCheck, isCloudFormationEvent } from './deploy-check';
import { type HealthOutcome, reconcileHealthEvent } from './health';
import { invocationMode, type MonitorEvent } from './invocation';
import { settingsOf } from './read';
import type { RunSummary } from './report';
import { runMonitor } from './run';

const logger = new Logger({ serviceName: SERVICE_NAMES.monitor });
// FunctionName tells this deployment's metrics from another monitor's in the same account.
const METRICS_OPTIONS = {
  namespace: METRICS.namespace,
  serviceName: SERVICE_NAMES.monitor,
  defaultDimensions: { [METRICS.dimensions.functionName]: process.env.AWS_LAMBDA_FUNCTION_NAME ?? 'local' },
};
const metrics = new Metrics(METRICS_OPTIONS);
/** One line per token (its own TokenName dimension), one instance for all of them. */
const tokenMetrics = new Metrics(METRICS_OPTIONS);
let config: MonitorConfig | undefined;
let checker: TokenChecker | undefined;

/** A claim outlives its invocation by this much (clock skew between Lambda and DynamoDB). */
const LEASE_MARGIN_MS = 60_000;

/** What the handler needs of Lambda's context (absent when called by hand in tests). */
export interface InvocationContext {
  readonly awsRequestId: string;
  getRemainingTimeInMillis(): number;
}

export type { MonitorEvent, RunSummary };

/** The probe's checker, when the probe is on and its endpoint is IAM Identity Center's. */
function probeChecker(c: MonitorConfig): TokenChecker | undefined {
  if (c.verifyTokens.length === 0 || !c.scimEndpoint) return undefined;
  let endpoint: ScimEndpoint;
  try {
    endpoint = parseScimEndpoint(c.scimEndpoint);
  } catch (error) {
    // Synth refuses such an endpoint, so the environment was edited by hand: no token is read or
    // sent, and the checks count as inconclusive (which alerts after a few days).
    logger.error("SCIM_ENDPOINT is not IAM Identity Center's SCIM endpoint: no token probed", {
      reason: (error as Error).message,
    });
    return undefined;
  }
  if (endpoint.region !== c.region) {
    logger.warn(
      "the SCIM endpoint is in another region than the monitor: SCIM works only in the IAM Identity Center instance's primary region",
      { endpointRegion: endpoint.region, monitorRegion: c.region },
    );
  }
  return awsTokenChecker(endpoint);
}

export async function handler(
  event: MonitorEvent | CloudFormationEvent | undefined,
  context?: InvocationContext,
): Promise<RunSummary | HealthOutcome | undefined> {
  // The check on deploy: CloudFormation invokes the monitor as a custom resource.
  if (isCloudFormationEvent(event)) return deployCheck(event, () => handler(undefined, context), logger);
  if (!config) {
    config = loadConfig(process.env);
    checker = probeChecker(config);
  }
  const clock = () => new Date();
  const started = clock();
  const mode = invocationMode(event, started);
  const remainingMs = () => context?.getRemainingTimeInMillis() ?? 300_000;
  const claimant = {
    owner: context?.awsRequestId ?? `local-${started.getTime()}-${Math.random().toString(36).slice(2)}`,
    leaseUntil: new Date(started.getTime() + remainingMs() + LEASE_MARGIN_MS),
  };
  logger.appendKeys({ evaluatedAt: mode.at.toISOString(), eventId: event?.id, invocation: mode.kind });
  if (mode.kind === 'replay') {
    logger.warn(
      'replay of a date: a dry run that logs what it would send and writes nothing (use `scim-token-monitor check --at` to see a date)',
      { requestedTime: event?.time },
    );
  } else if (mode.kind === 'manual') {
    logger.info('a check at the current time: it logs what is due and sends nothing; the schedule sends it');
  }
  const sources = awsSources(config.ledgerTable, mode.kind === 'scheduled' ? config.topicArn : undefined, {
    scimCalls: config.provisioningPages !== undefined,
  });
  const ledger = awsLedger(config.ledgerTable);
  const sinks = awsSinks(config.topicArn, config.eventBus);

  if (mode.kind === 'health') {
    // Not a scheduled run: it emits no run metrics, so it can never satisfy the "not run" alarm.
    const delivery: DeliveryContext = {
      ledger,
      sinks,
      ...claimant,
      clock,
      dryRun: false,
      digestAfter: config.digestAfter,
      origin: originOf(settingsOf(config)),
      log: logger,
      retryDelaysMs: ENTRY_RETRY_DELAYS_MS,
    };
    const outcome = await reconcileHealthEvent(config, event, mode.at, logger, sources, delivery);
    const failures = outcome.delivery?.failures ?? [];
    if (failures.length > 0)
      throw new Error(`${failures.length} delivery step(s) failed; first: ${failures[0]}`);
    return outcome;
  }
  return runMonitor(config, mode, claimant, {
    sources,
    ledger,
    sinks,
    ...(checker ? { checker } : {}),
    clock,
    remainingMs,
    log: logger,
    metrics,
    tokenMetrics,
    retryDelaysMs: ENTRY_RETRY_DELAYS_MS,
  });
}
