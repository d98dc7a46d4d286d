/**
 * `scim-token-monitor doctor`: does the deployed monitor actually reach someone? Reads the stack
 * and what it created, and reports in one screen: subscribers (confirmed or pending), alarm
 * actions that failed, the schedule, the last successful run and its age, the registry, and the
 * probe. Exits non-zero when something would keep an alert from arriving.
 */
import { humanInstant } from '../core/dates';
import { type ProvisioningView, provisioningSummary, provisioningView } from '../core/provisioning-view';
import { readProvisioning } from '../functions/monitor/provisioning';
import type { CliContext } from './commands';
import type { DeploymentFacts } from './doctor-aws';
import { CliError, UsageError } from './errors';
import { type Output, paint, table } from './output';

/** The command: gather the facts from AWS, decide, print; exit 1 when a check fails. */
export async function doctor(ctx: CliContext, opts: { maxHours?: string; json?: boolean }): Promise<void> {
  const deployment = ctx.deployment;
  if (!deployment) {
    throw new CliError(
      'No deployed monitor found in this region: pass --stack-name (or --region), or deploy it first.',
    );
  }
  const maxHours =
    opts.maxHours === undefined ? deployment.settings.maxHoursWithoutSuccess : Number(opts.maxHours);
  if (!Number.isInteger(maxHours) || maxHours < 1 || maxHours > 168) {
    throw new UsageError(`--max-hours "${opts.maxHours}" must be a whole number of hours from 1 to 168.`);
  }
  const { gatherFacts } = await import('./doctor-aws');
  const gathered = await gatherFacts(deployment.settings, ctx.config.registryPrefix, ctx.now);
  // What AWS Health announced, as the ledger recorded it (none when the ledger is not found).
  const records = await ctx.registry.healthRecords();
  const latest = records
    .map((r) => r.firstSeen)
    .sort()
    .at(-1);
  const unannounced = gathered.healthRuleState
    ? await unannouncedExpiries(
        ctx,
        new Set(records.flatMap((r) => (r.matchedToken ? [r.matchedToken] : []))),
      )
    : undefined;
  const facts = {
    ...gathered,
    healthNotices: {
      count: records.length,
      unmatched: records.filter((r) => r.matchedToken === null).length,
      ...(latest ? { latest } : {}),
      ...(unannounced ? { unannounced } : {}),
    },
  };
  // What CloudTrail's SCIM calls say, once a run has recorded them (observeProvisioning).
  const provisioning = provisioningView((await readProvisioning(ctx.registry.sources)).record);
  const observed = provisioningCheck(
    deployment.settings.observeProvisioning === true,
    provisioning,
    gathered.lastSuccess,
    ctx.now,
  );
  printDiagnosis(
    ctx.out,
    deployment.settings.stackName,
    [...diagnose(facts, ctx.now, maxHours), ...(observed ? [observed] : [])],
    opts.json === true,
  );
}

/** CloudTrail is read at each scheduled run: a record this much older than now is stale. */
const STALE_HOURS = 50;

/**
 * Provisioning as the events show it: a warning while calls fail or none ever succeeded, and a
 * warning when the reading itself stopped (the run succeeds without it, so only this says so).
 */
export function provisioningCheck(
  on: boolean,
  view: ProvisioningView | undefined,
  lastRun: Date | undefined,
  now: Date,
): Check | undefined {
  const stale = (at: Date) => now.getTime() - at.getTime() > STALE_HOURS * 3_600_000;
  if (!view) {
    // Each scheduled run that reads CloudTrail records where it read to, calls or none.
    return on && lastRun
      ? {
          check: 'Provisioning',
          verdict: 'warn',
          detail:
            "runs succeed but no SCIM call reading was recorded: cloudtrail:LookupEvents fails (the function's log says why: an SCP, or throttling)",
        }
      : undefined;
  }
  const readUntil = view.readUntil ? new Date(view.readUntil) : undefined;
  if (on && readUntil && stale(readUntil)) {
    return {
      check: 'Provisioning',
      verdict: 'warn',
      detail: `CloudTrail not read since ${humanInstant(readUntil)}: cloudtrail:LookupEvents fails (see the function's log); ${provisioningSummary(view)}`,
    };
  }
  return {
    check: 'Provisioning',
    verdict: view.failuresSinceSuccess > 0 || !view.lastSuccess ? 'warn' : 'ok',
    detail: provisioningSummary(view),
  };
}

/**
 * AWS Health announces a token's expiry from 90 days before it, and again each week: a registered
 * token with at most this many days left has been announced, unless the notices do not arrive.
 */
const ANNOUNCED_WITHIN_DAYS = 80;

/** Registered tokens AWS Health must have announced by now, and no notice of which was recorded. */
async function unannouncedExpiries(
  ctx: CliContext,
  announced: ReadonlySet<string>,
): Promise<{ count: number; soonest: string; days: number } | undefined> {
  const { readPlan } = await import('../functions/monitor/read');
  const { daysRemaining } = await import('../core/dates');
  const silent = { info: () => {}, warn: () => {}, error: () => {} };
  const plan = await readPlan(ctx.config, ctx.now, silent, ctx.registry.sources);
  const due = plan.tokens
    .filter((t) => t.source !== 'aws-health' && !announced.has(t.name))
    .map((t) => ({ name: t.name, days: daysRemaining(t.expiresAt, ctx.now) }))
    .filter((t) => t.days >= 0 && t.days <= ANNOUNCED_WITHIN_DAYS)
    .sort((a, b) => a.days - b.days);
  const [soonest] = due;
  return soonest ? { count: due.length, soonest: soonest.name, days: soonest.days } : undefined;
}

export type Verdict = 'ok' | 'warn' | 'fail';

export interface Check {
  readonly check: string;
  readonly verdict: Verdict;
  readonly detail: string;
}

const hoursBetween = (a: Date, b: Date) => Math.floor((b.getTime() - a.getTime()) / 3_600_000);

/** The verdicts, in the order a person reads them. */
export function diagnose(f: DeploymentFacts, now: Date, maxHoursWithoutSuccess: number): Check[] {
  const confirmed = f.subscriptions.filter((s) => s.confirmed);
  const pending = f.subscriptions.filter((s) => !s.confirmed);
  const pendingList = pending.map((s) => `${s.protocol} ${s.endpoint}`).join(', ');
  const subscribers: Check =
    confirmed.length === 0
      ? {
          check: 'Subscribers',
          verdict: 'fail',
          detail:
            pending.length > 0
              ? `none confirmed, so nobody receives alerts; pending confirmation: ${pendingList} (confirm the email, or subscribe again)`
              : 'nobody is subscribed to the alert topic: add alertEmails or a chat channel and deploy, or subscribe to the AlertTopicArn output',
        }
      : {
          check: 'Subscribers',
          verdict: pending.length > 0 ? 'warn' : 'ok',
          detail: `${confirmed.length} confirmed (${confirmed.map((s) => s.protocol).join(', ')})${pending.length > 0 ? `; pending confirmation: ${pendingList}` : ''}`,
        };
  const schedule: Check = f.zonedSchedule
    ? {
        // Its state is not read (scheduler:GetSchedule): the last-run check below is what proves it runs.
        check: 'Schedule',
        verdict: 'ok',
        detail: `EventBridge Scheduler schedule ${f.zonedSchedule.name}, in ${f.zonedSchedule.timeZone} (whether it runs: the last successful run, below)`,
      }
    : f.scheduleState === 'ENABLED'
      ? { check: 'Schedule', verdict: 'ok', detail: 'enabled' }
      : {
          check: 'Schedule',
          verdict: 'fail',
          detail:
            f.scheduleState === undefined
              ? 'the schedule rule is missing from the stack: redeploy'
              : `the schedule rule is ${f.scheduleState}: enable it (aws events enable-rule)`,
        };
  const alarms: Check =
    f.failedAlarmActions.length === 0
      ? {
          check: 'Alarm actions',
          verdict: 'ok',
          detail: `no failed action in the last ${f.lookbackDays} days`,
        }
      : {
          check: 'Alarm actions',
          verdict: 'fail',
          detail: `${f.failedAlarmActions.length} failed, latest ${f.failedAlarmActions[0]?.alarm}: ${f.failedAlarmActions[0]?.summary} (CloudWatch could not invoke the alarm relay: redeploy the monitor)`,
        };
  const relay: Check =
    f.relayErrors > 0
      ? {
          check: 'Alarm relay',
          verdict: 'fail',
          detail: `${f.relayErrors} failed invocation(s) in the last ${f.lookbackDays} days: an alarm did not reach the topic. The topic's policy and its key's must admit ${f.publisherRoleArns.join(' and ')} (docs/governed-organizations.md); the relay's log group says why`,
        }
      : {
          check: 'Alarm relay',
          verdict: 'ok',
          detail: `no failed invocation in the last ${f.lookbackDays} days`,
        };
  const deadLetters: Check =
    (f.deadLetters ?? 0) > 0
      ? {
          check: 'Dead letters',
          verdict: 'fail',
          detail: `${f.deadLetters} invocation(s) failed after every retry and wait in the dead-letter queue: alerts may be missing (docs/operations.md)`,
        }
      : { check: 'Dead letters', verdict: 'ok', detail: 'the dead-letter queue is empty' };
  // Metrics come in hourly periods: the run happened somewhere in the hour that starts at
  // `lastSuccess`. Judge by the hour's end, so a run is never called late that was not.
  const age = f.lastSuccess ? hoursBetween(new Date(f.lastSuccess.getTime() + 3_600_000), now) : undefined;
  const lastRun: Check =
    age === undefined
      ? {
          check: 'Last successful run',
          verdict: 'fail',
          detail: `none in the last ${f.lookbackDays} days: check the function's log group`,
        }
      : {
          check: 'Last successful run',
          verdict: age > maxHoursWithoutSuccess ? 'fail' : 'ok',
          detail: `${age}-${age + 1} hours ago (the hour from ${f.lastSuccess?.toISOString().slice(0, 16).replace('T', ' ')} UTC)${age > maxHoursWithoutSuccess ? `, more than ${maxHoursWithoutSuccess}` : ''}`,
        };
  const registry: Check =
    f.registeredTokens > 0
      ? {
          check: 'Registry',
          verdict: 'ok',
          detail: 'tokens are registered (scim-token-monitor status lists them)',
        }
      : {
          check: 'Registry',
          verdict: 'fail',
          detail:
            'nothing is registered, so no token is watched: scim-token-monitor register <name> --created-at <date>',
        };
  const probe: Check =
    f.probesInconclusive === undefined
      ? {
          check: 'Token probe',
          verdict: 'ok',
          detail: 'no probe data (the probe is off, or nothing is probed)',
        }
      : f.probesInconclusive > 0
        ? {
            check: 'Token probe',
            verdict: 'warn',
            detail: `${f.probesInconclusive} probe(s) inconclusive in the latest run: the SCIM endpoint did not answer`,
          }
        : {
            check: 'Token probe',
            verdict: 'ok',
            detail: 'every probed token was answered in the latest run',
          };
  return [subscribers, alarms, relay, deadLetters, schedule, lastRun, registry, probe, healthCheck(f)];
}

/** The path of AWS Health's notices: the rule, and what has arrived through it. */
function healthCheck(f: DeploymentFacts): Check {
  const check = 'AWS Health notices';
  if (f.healthRuleState === undefined) {
    return {
      check,
      verdict: 'warn',
      detail: 'not routed to the monitor (reconcileHealthEvents is off): tokens nobody registered go unseen',
    };
  }
  if (f.healthRuleState !== 'ENABLED') {
    return {
      check,
      verdict: 'fail',
      detail: `the AWS Health rule is ${f.healthRuleState}: enable it (aws events enable-rule)`,
    };
  }
  const from = f.healthSources ? ', also from the accounts in healthSourceAccounts' : '';
  const n = f.healthNotices;
  const where = f.healthSources
    ? 'is ScimTokenHealthForwarder deployed in the account that owns IAM Identity Center, and does it alarm?'
    : 'AWS sends them to the account that owns IAM Identity Center: is the monitor deployed there, or the forwarder?';
  if (n?.unannounced) {
    return {
      check,
      verdict: 'warn',
      detail: `rule enabled${from}; but ${n.unannounced.count} registered token(s) expire within ${ANNOUNCED_WITHIN_DAYS} days (soonest ${n.unannounced.soonest}, ${n.unannounced.days} days) and AWS Health has announced none of them: ${where}`,
    };
  }
  if (!n || n.count === 0) {
    return {
      check,
      verdict: 'ok',
      detail: `rule enabled${from}; none received yet (AWS sends them from 90 days before an expiry, to the account that owns IAM Identity Center${f.healthSources ? ': is ScimTokenHealthForwarder deployed there?' : ''})`,
    };
  }
  return {
    check,
    verdict: 'ok',
    detail: `rule enabled${from}; ${n.count} announced expiry date(s) recorded, latest first seen ${n.latest?.slice(0, 10) ?? '?'}${n.unmatched > 0 ? `; ${n.unmatched} nobody registered (adopted: scim-token-monitor status)` : ''}`,
  };
}

const TONE = { ok: 'ok', warn: 'warning', fail: 'critical' } as const;

export function printDiagnosis(
  out: Output,
  stackName: string,
  checks: readonly Check[],
  json: boolean,
): void {
  if (json) {
    out.line(
      JSON.stringify(
        { stack: stackName, healthy: checks.every((c) => c.verdict !== 'fail'), checks },
        null,
        2,
      ),
    );
  } else {
    out.line(`scim-token-monitor doctor: stack ${stackName}`);
    table(
      out,
      ['CHECK', 'STATUS', 'DETAIL'],
      checks.map((c) => [c.check, c.verdict.toUpperCase(), c.detail]),
      checks.map((c) => TONE[c.verdict]),
    );
  }
  const failed = checks.filter((c) => c.verdict === 'fail');
  if (failed.length > 0) {
    throw new CliError(
      `${failed.length} check(s) failed: ${failed.map((c) => c.check).join(', ')}. An alert may not reach anyone until they are fixed.`,
    );
  }
  if (!json) out.line(paint(out, 'ok', 'Alerts can reach someone.'));
}
