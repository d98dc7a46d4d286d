/**
 * One monitor run, start to end, through its ports: read and plan (read.ts and the core), deliver
 * and commit (deliver.ts), probe the stored tokens with the time then left and deliver what that
 * found, then report. The handler plugs AWS in; tests plug memory in and run this same code.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { Metrics } from '@aws-lambda-powertools/metrics';
import { originOf } from '../../core/plan';
import type { Ledger, MonitorSources, Sinks, TokenChecker } from '../../core/ports';
import { parseScimEndpoint } from '../../core/scim-endpoint';
import type { MonitorConfig } from './config';
import { type DeliveryContext, deliver } from './deliver';
import type { InvocationMode } from './invocation';
import { probeStoredTokens } from './probe';
import { observeProvisioning, withProvisioning } from './provisioning';
import { readPlan, settingsOf } from './read';
import { emitMetrics, emitTokenMetric, logToken, logTokens, type RunSummary, summarize } from './report';

type Log = Pick<Logger, 'info' | 'warn' | 'error' | 'appendKeys'>;

/** Reading SCIM calls from CloudTrail never takes longer than this. */
const LOOKUP_BUDGET_MS = 30_000;
/** Time kept back from reading them for everything after. */
const LOOKUP_RESERVE_MS = 120_000;

/** Time kept back from the probe for delivering what it finds and reporting. */
const PROBE_RESERVE_MS = 60_000;
/** The probe never takes longer than this, whatever time is left. */
const PROBE_BUDGET_MS = 120_000;

/** Everything a run touches, injected. */
export interface RunPorts {
  readonly sources: MonitorSources;
  readonly ledger: Ledger;
  readonly sinks: Sinks;
  /** Absent: the probe is off, or its endpoint was refused (every check then inconclusive). */
  readonly checker?: TokenChecker;
  /** The wall clock (leases, the probe's budget). */
  readonly clock: () => Date;
  /** What Lambda says is left of the invocation, asked when the probe starts. */
  readonly remainingMs: () => number;
  readonly log: Log;
  /** The run's metrics, and one instance reused for the per-token metric (tokenMetrics). */
  readonly metrics: Metrics;
  readonly tokenMetrics: Metrics;
  /** Waits before sending again entries that failed inside a reply. */
  readonly retryDelaysMs: readonly number[];
}

/** Who this invocation is, for the ledger. */
export interface Claimant {
  readonly owner: string;
  readonly leaseUntil: Date;
}

/** The SCIM tenant of the configured endpoint, if it is one. */
function tenantOf(endpoint: string | undefined): string | undefined {
  if (!endpoint) return undefined;
  try {
    return parseScimEndpoint(endpoint).tenant;
  } catch {
    return undefined;
  }
}

export async function runMonitor(
  config: MonitorConfig,
  mode: InvocationMode,
  claimant: Claimant,
  ports: RunPorts,
): Promise<RunSummary> {
  const { log } = ports;
  const now = mode.at;
  const scheduled = mode.kind === 'scheduled';
  // Quiet tokens are logged (and, with tokenMetrics, measured) as the registry is read, and then
  // only counted: memory stays flat however many tokens are registered.
  const perToken = config.tokenMetrics && scheduled ? ports.tokenMetrics : undefined;
  const plan = await readPlan(config, now, log, ports.sources, {
    keep: new Set(config.verifyTokens),
    scheduled,
    onQuiet: (e) => {
      logToken(e, log);
      if (perToken) emitTokenMetric(e, perToken);
    },
  });
  logTokens(plan, log);
  // Provisioning observed: what CloudTrail recorded of SCIM calls since the previous run, shown in
  // the token alerts and recorded once they are delivered. A replay of a past date reads nothing.
  const tenant = tenantOf(config.scimEndpoint);
  const observed =
    config.provisioningPages && mode.kind !== 'replay'
      ? await observeProvisioning(
          ports.sources,
          {
            // The scheduled instant, not the wall clock: Lambda's retry of this event reads the
            // same window, and so claims the same provisioning alerts.
            now,
            maxPages: config.provisioningPages,
            clock: () => ports.clock().getTime(),
            deadline:
              ports.clock().getTime() +
              Math.max(0, Math.min(LOOKUP_BUDGET_MS, ports.remainingMs() - LOOKUP_RESERVE_MS)),
            ...(tenant ? { tenantId: tenant } : {}),
            alerts: config.provisioningAlerts ?? {},
            origin: originOf(settingsOf(config)),
          },
          log,
        )
      : undefined;
  const alerts = [...withProvisioning(plan.alerts, observed?.view), ...(observed?.alerts ?? [])];
  const commits = observed?.commit ? [...plan.commits, observed.commit] : plan.commits;
  const context: DeliveryContext = {
    ledger: ports.ledger,
    sinks: ports.sinks,
    owner: claimant.owner,
    leaseUntil: claimant.leaseUntil,
    clock: ports.clock,
    dryRun: mode.dryRun,
    digestAfter: config.digestAfter,
    origin: originOf(settingsOf(config)),
    log,
    retryDelaysMs: ports.retryDelaysMs,
  };
  const delivered = await deliver({ alerts, commits }, context, now);
  // The probe runs after the alerts went out, within what is left of the invocation now.
  const budgetMs = Math.max(0, Math.min(PROBE_BUDGET_MS, ports.remainingMs() - PROBE_RESERVE_MS));
  const probe = await probeStoredTokens(config, plan, now, log, ports.sources, ports.checker, budgetMs, () =>
    ports.clock().getTime(),
  );
  const probed = await deliver(
    { ...probe, alerts: withProvisioning(probe.alerts, observed?.view) },
    context,
    now,
  );
  const failures = [...delivered.failures, ...probed.failures];
  const summary = summarize(
    { ...plan, alerts: [...plan.alerts, ...probe.alerts] },
    {
      alertsSent: delivered.alertsSent + probed.alertsSent,
      inFlightElsewhere: delivered.inFlightElsewhere + probed.inFlightElsewhere,
      failures,
      conflicts: [],
    },
    now,
    probe.inconclusive,
  );
  // Only scheduled runs feed the "not run" alarm: a manual invoke, a replay or the deploy-time
  // check must never hide a schedule that stopped. The one exception: before any scheduled run
  // has completed here (a fresh deployment), a check at the current time starts the alarm's
  // record, so a new stack does not page "not run" before its schedule has had its first chance.
  const counts = scheduled || (mode.kind === 'manual' && !plan.monitor.scheduledRunSeen);
  if (counts) {
    emitMetrics(
      plan,
      summary,
      ports.metrics,
      perToken,
      config.thresholdsDays,
      config.verifyTokens.length > 0,
    );
  }
  log.info('run complete', { ...summary, dryRun: mode.dryRun });
  if (failures.length > 0) {
    throw new Error(`${failures.length} delivery step(s) failed; first: ${failures[0]}`);
  }
  return summary;
}
