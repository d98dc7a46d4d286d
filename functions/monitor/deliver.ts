/**
 * Delivery, exactly once per alert and channel: claim each channel in the ledger, send what this
 * run claimed (SNS PublishBatch, EventBridge PutEvents), retry entries that failed inside a
 * reply, confirm what went out, and write the alert's state once every channel has it. A run
 * that overlaps another skips what the other holds; a retried run completes only what is missing.
 * The one repeat possible: a crash between a send and its confirmation (see docs/architecture.md).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { ENTRY_RETRY_DELAYS_MS } from '../../adapters/client-config';
import { putAlertEvents } from '../../adapters/eventbridge';
import { type Channel, type ClaimResult, claim, confirm, release, writeState } from '../../adapters/ledger';
import { type EntryResult, publishAlerts } from '../../adapters/sns';
import type { PlannedAlert, StateWrite } from '../../core/evaluate';
import { type RenderedAlert, renderAlert } from '../../core/messages';
import { inParallel } from '../../core/parallel';
import { serializeState } from '../../core/state';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface DeliveryTarget {
  readonly topicArn: string;
  readonly eventBusName: string;
  readonly ledgerTable: string;
}

export interface Invocation {
  /** Who claims: the Lambda request ID, which Lambda keeps across its own retries. */
  readonly owner: string;
  /** When this invocation certainly no longer runs: its claims may be taken over after that. */
  readonly leaseUntil: Date;
  /** Log what would be sent; send and write nothing. */
  readonly dryRun: boolean;
}

export interface DeliveryResult {
  /** Alerts this run published to SNS. */
  readonly alertsSent: number;
  /** Alert channels another live invocation holds: it delivers them. */
  readonly inFlightElsewhere: number;
  readonly failures: readonly string[];
}

/** Ledger calls in flight at once. */
const LEDGER_CONCURRENCY = 8;
const CHANNELS: readonly Channel[] = ['sns', 'events'];

async function sendWithRetries(
  items: readonly RenderedAlert[],
  send: (batch: readonly RenderedAlert[]) => Promise<EntryResult[]>,
): Promise<EntryResult[]> {
  const results: EntryResult[] = new Array(items.length).fill({ ok: false, error: 'not sent' });
  let pending = items.map((_, i) => i);
  for (let attempt = 0; attempt <= ENTRY_RETRY_DELAYS_MS.length && pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, ENTRY_RETRY_DELAYS_MS[attempt - 1]));
    const answers = await send(pending.map((i) => items[i] as RenderedAlert));
    pending.forEach((i, j) => {
      results[i] = answers[j] ?? { ok: false, error: 'no answer' };
    });
    pending = pending.filter((i) => !results[i]?.ok);
  }
  return results;
}

export async function deliver(
  plan: { readonly alerts: readonly PlannedAlert[]; readonly writes: readonly StateWrite[] },
  target: DeliveryTarget,
  invocation: Invocation,
  now: Date,
  log: Log,
): Promise<DeliveryResult> {
  const failures: string[] = [];
  if (invocation.dryRun) {
    for (const { alert, key } of plan.alerts) {
      log.info('dry run: would send', { key, alertType: alert.alertType, tokenName: alert.tokenName });
    }
    return { alertsSent: 0, inFlightElsewhere: 0, failures };
  }
  const ledger = target.ledgerTable;
  const items = plan.alerts.map((planned) => ({ ...planned, rendered: renderAlert(planned.alert) }));
  const who = (i: number) => items[i]?.alert.tokenName ?? 'monitor';

  // 1. Claim every channel of every alert.
  const claims = await inParallel(items, LEDGER_CONCURRENCY, async (item, i) => {
    const out: Partial<Record<Channel, ClaimResult | 'error'>> = {};
    for (const channel of CHANNELS) {
      try {
        out[channel] = await claim(ledger, item.key, channel, invocation.owner, now, invocation.leaseUntil);
      } catch (error) {
        out[channel] = 'error';
        failures.push(
          `claiming the ${item.alert.alertType} alert for ${who(i)} on ${channel} failed: ${(error as Error).message}`,
        );
      }
    }
    return out;
  });

  // 2. Send what this run claimed, per channel, retrying entries that failed.
  const sent: Record<Channel, Map<number, string>> = { sns: new Map(), events: new Map() };
  const senders: Record<Channel, (batch: readonly RenderedAlert[]) => Promise<EntryResult[]>> = {
    sns: (batch) => publishAlerts(target.topicArn, batch),
    events: (batch) =>
      putAlertEvents(
        target.eventBusName,
        batch.map((r) => r.payload),
        now,
      ),
  };
  for (const channel of CHANNELS) {
    const mine = items.flatMap((_, i) => (claims[i]?.[channel] === 'claimed' ? [i] : []));
    const results = await sendWithRetries(
      mine.map((i) => (items[i] as (typeof items)[number]).rendered),
      senders[channel],
    );
    // 3. Confirm what went out; give back what did not, so any run may take it at once.
    await inParallel(mine, LEDGER_CONCURRENCY, async (i, j) => {
      const item = items[i] as (typeof items)[number];
      const result = results[j] as EntryResult;
      if (result.ok) {
        sent[channel].set(i, result.id);
        if (channel === 'sns') {
          log.info('alert sent', {
            tokenName: who(i),
            alertType: item.alert.alertType,
            severity: item.alert.severity,
            threshold: item.alert.threshold,
            messageId: result.id,
          });
        }
        try {
          await confirm(ledger, item.key, channel, invocation.owner, now, result.id);
        } catch (error) {
          sent[channel].delete(i);
          failures.push(
            `recording the ${item.alert.alertType} alert for ${who(i)} on ${channel} failed (it may be sent again): ${(error as Error).message}`,
          );
        }
        return;
      }
      failures.push(
        `sending the ${item.alert.alertType} alert for ${who(i)} on ${channel} failed: ${result.error}`,
      );
      try {
        await release(ledger, item.key, channel, invocation.owner);
      } catch {
        // The lease runs out on its own; a later run sends it then.
      }
    });
  }

  // 4. An alert delivered on every channel (by this run or an earlier one) records its state.
  let inFlightElsewhere = 0;
  const writes: StateWrite[] = [...plan.writes];
  items.forEach((item, i) => {
    const done = CHANNELS.every((c) => claims[i]?.[c] === 'sent' || sent[c].has(i));
    inFlightElsewhere += CHANNELS.filter((c) => claims[i]?.[c] === 'busy').length;
    if (done) writes.push(item.write, ...(item.also ?? []));
  });
  // One write per record, the last decided winning (an alert's state includes the earlier ones').
  const latest = [...new Map(writes.map((w) => [w.key, w])).values()];
  await inParallel(latest, LEDGER_CONCURRENCY, async (write) => {
    try {
      await writeState(ledger, write.key, serializeState(write.state), now);
    } catch (error) {
      failures.push(`writing state ${write.key} failed: ${(error as Error).message}`);
    }
  });
  if (inFlightElsewhere > 0) {
    log.info('alerts held by another invocation: it delivers them', { channels: inFlightElsewhere });
  }
  for (const f of failures) log.error(f);
  return { alertsSent: sent.sns.size, inFlightElsewhere, failures };
}
