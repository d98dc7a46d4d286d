/**
 * Delivery, exactly once per alert and channel, and then the commit: claim each alert on each
 * channel in the ledger; send what this run claimed (SNS as flood control composes it, each alert
 * on its own to EventBridge), retrying entries that failed inside a reply; confirm every alert a
 * message carried; give back what did not go out; and only then write each state change whose
 * alerts are all delivered on every channel. A run that overlaps another skips what the other
 * holds; a retried or later run finds what went out already `sent` and completes only the rest.
 * The one repeat possible: a crash between a send and its confirmation (docs/architecture.md).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AlertOrigin } from '../../core/alert';
import { payloadOf } from '../../core/fields';
import { alone, composeMessages, digestOf, type Message, renderMessage } from '../../core/flood';
import { inParallel } from '../../core/parallel';
import type { Commit, PlannedAlert } from '../../core/plan';
import {
  CHANNELS,
  type Channel,
  type ClaimResult,
  type EntryResult,
  type Ledger,
  type Sinks,
  StateConflict,
} from '../../core/ports';
import { serializeState } from '../../core/state';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

export interface DeliveryContext {
  readonly ledger: Ledger;
  readonly sinks: Sinks;
  /** Who claims: the Lambda request ID, which Lambda keeps across its own retries. */
  readonly owner: string;
  /** When this invocation certainly no longer runs: its claims may be taken over after that. */
  readonly leaseUntil: Date;
  /** The wall clock: leases are judged by it, never by the (possibly hours old) event time. */
  readonly clock: () => Date;
  /** Log what would be sent; send and write nothing. */
  readonly dryRun: boolean;
  /** Flood control: at most this many SNS messages alone per delivery (see core/flood.ts). */
  readonly digestAfter: number;
  /** Where a digest comes from. */
  readonly origin: AlertOrigin;
  readonly log: Log;
  /** Waits before sending again the entries that failed inside a reply. */
  readonly retryDelaysMs: readonly number[];
}

export interface DeliveryResult {
  /** Alerts this run delivered on SNS (alone or in a digest). */
  readonly alertsSent: number;
  /** Alert channels another live invocation holds: it delivers them. */
  readonly inFlightElsewhere: number;
  readonly failures: readonly string[];
  /** Records not written because another invocation changed them first (retry the whole cycle). */
  readonly conflicts: readonly string[];
}

/** Ledger calls in flight at once. */
const LEDGER_CONCURRENCY = 8;

async function sendWithRetries<T>(
  items: readonly T[],
  send: (batch: readonly T[]) => Promise<EntryResult[]>,
  delays: readonly number[],
): Promise<EntryResult[]> {
  const results: EntryResult[] = new Array(items.length).fill({ ok: false, error: 'not sent' });
  let pending = items.map((_, i) => i);
  for (let attempt = 0; attempt <= delays.length && pending.length > 0; attempt++) {
    if (attempt > 0) await new Promise((r) => setTimeout(r, delays[attempt - 1]));
    // A sink reports failed entries in their slots; one that throws fails the whole batch.
    const batch = pending.map((i) => items[i] as T);
    const answers = await send(batch).catch((error: Error): EntryResult[] =>
      batch.map(() => ({ ok: false, error: error.message })),
    );
    pending.forEach((i, j) => {
      results[i] = answers[j] ?? { ok: false, error: 'no answer' };
    });
    pending = pending.filter((i) => !results[i]?.ok);
  }
  return results;
}

export async function deliver(
  plan: { readonly alerts: readonly PlannedAlert[]; readonly commits: readonly Commit[] },
  ctx: DeliveryContext,
  now: Date,
): Promise<DeliveryResult> {
  const { ledger, log } = ctx;
  const failures: string[] = [];
  const conflicts: string[] = [];
  if (ctx.dryRun) {
    for (const { alert, key } of plan.alerts) {
      log.info('dry run: would send', { key, alertType: alert.alertType, tokenName: alert.tokenName });
    }
    return { alertsSent: 0, inFlightElsewhere: 0, failures, conflicts };
  }
  const alerts = [...new Map(plan.alerts.map((a) => [a.key, a])).values()];
  const byKey = new Map(alerts.map((a) => [a.key, a]));
  const who = (key: string) => {
    const a = byKey.get(key);
    return a
      ? `the ${a.alert.alertType} alert for ${a.alert.tokenName ?? 'the monitor'}`
      : `the digest ${key}`;
  };
  const claim = async (key: string, channel: Channel): Promise<ClaimResult | 'error'> => {
    try {
      return await ledger.claim(key, channel, ctx.owner, ctx.clock(), ctx.leaseUntil);
    } catch (error) {
      failures.push(`claiming ${who(key)} on ${channel} failed: ${(error as Error).message}`);
      return 'error';
    }
  };

  // 1. The messages: SNS as flood control composes them from the plan (the same in every
  //    overlapping run), EventBridge one event per alert.
  const planned = composeMessages(alerts, ctx.digestAfter, now, ctx.origin);

  // 2. Claim. EventBridge: every alert. SNS: a single alert's key; for a digest, its own key first:
  //    its holder claims the members; a run that finds it sent claims them only to learn which went
  //    out (a member whose confirmation failed is sent alone); a run that finds it busy leaves them.
  const claims: Record<Channel, Map<string, ClaimResult | 'error'>> = { sns: new Map(), events: new Map() };
  const held = new Set<string>();
  await inParallel(alerts, LEDGER_CONCURRENCY, async (a) => {
    claims.events.set(a.key, await claim(a.key, 'events'));
  });
  await inParallel(planned, LEDGER_CONCURRENCY, async (m) => {
    if (!m.members) return void claims.sns.set(m.key, await claim(m.key, 'sns'));
    const digest = await claim(m.key, 'sns');
    if (digest === 'claimed') held.add(m.key);
    if (digest !== 'claimed' && digest !== 'sent') {
      for (const k of m.keys) claims.sns.set(k, digest);
      return;
    }
    await inParallel(m.keys, LEDGER_CONCURRENCY, async (k) => {
      claims.sns.set(k, await claim(k, 'sns'));
    });
  });
  const mine = (channel: Channel, key: string) => claims[channel].get(key) === 'claimed';
  const empty: string[] = [];
  const snsMessages: Message[] = planned.flatMap((m): Message[] => {
    if (!m.members) return mine('sns', m.key) ? [m] : [];
    const members = m.members.filter((a) => mine('sns', a.key));
    if (!held.has(m.key)) return members.map(alone);
    if (members.length === 0) {
      empty.push(m.key);
      return [];
    }
    if (members.length === m.members.length) return [m];
    const smaller =
      members.length === 1
        ? alone(members[0] as PlannedAlert)
        : digestOf(members, m.alert.severity, now, ctx.origin);
    return [{ ...smaller, key: m.key }];
  });
  // A digest none of whose members is left to send is given back.
  await Promise.all(empty.map((key) => ledger.release(key, 'sns', ctx.owner).catch(() => undefined)));
  const eventMessages = alerts.filter((a) => mine('events', a.key)).map(alone);
  const sent: Record<Channel, Set<string>> = {
    sns: new Set(alerts.filter((a) => claims.sns.get(a.key) === 'sent').map((a) => a.key)),
    events: new Set(alerts.filter((a) => claims.events.get(a.key) === 'sent').map((a) => a.key)),
  };

  // 3. Send, retrying entries that failed inside a reply; confirm every alert a message carried
  //    (and a digest's own key); give back what did not go out.
  let alertsSent = 0;
  const channels: Array<[Channel, Message[], (batch: readonly Message[]) => Promise<EntryResult[]>]> = [
    ['sns', snsMessages, (batch) => ctx.sinks.sns(batch.map((m) => renderMessage(m)))],
    [
      'events',
      eventMessages,
      (batch) =>
        ctx.sinks.events(
          batch.map((m) => payloadOf(m.alert)),
          now,
        ),
    ],
  ];
  for (const [channel, messages, send] of channels) {
    const results = await sendWithRetries(messages, send, ctx.retryDelaysMs);
    const outcomes = messages.flatMap((m, i) =>
      [...m.keys, ...(m.keys.includes(m.key) ? [] : [m.key])].map(
        (key) => [key, results[i] as EntryResult] as const,
      ),
    );
    await inParallel(outcomes, LEDGER_CONCURRENCY, async ([key, result]) => {
      if (result.ok) {
        try {
          await ledger.confirm(key, channel, ctx.owner, ctx.clock(), result.id);
          if (!byKey.has(key)) return;
          sent[channel].add(key);
          if (channel === 'sns') alertsSent++;
        } catch (error) {
          failures.push(
            `recording ${who(key)} on ${channel} failed (it may be sent again): ${(error as Error).message}`,
          );
        }
        return;
      }
      if (byKey.has(key)) failures.push(`sending ${who(key)} on ${channel} failed: ${result.error}`);
      try {
        await ledger.release(key, channel, ctx.owner);
      } catch {
        // The lease runs out on its own; a later run sends it then.
      }
    });
    if (channel === 'sns') {
      messages.forEach((m, i) => {
        const r = results[i] as EntryResult;
        if (!r.ok) return;
        log.info('alert sent', {
          tokenName: m.alert.tokenName,
          alertType: m.alert.alertType,
          severity: m.alert.severity,
          threshold: m.alert.threshold,
          alerts: m.keys.length,
          messageId: r.id,
        });
      });
    }
  }

  // 4. Commit what is announced by alerts now delivered on every channel (or announces nothing).
  const delivered = (key: string) => CHANNELS.every((c) => sent[c].has(key));
  const due = plan.commits.filter((c) => c.after.every(delivered));
  await inParallel(due, LEDGER_CONCURRENCY, async ({ write }) => {
    try {
      await ledger.writeState(write.key, serializeState(write.state), ctx.clock(), write.expected);
    } catch (error) {
      if (error instanceof StateConflict) conflicts.push(write.key);
      else failures.push(`writing state ${write.key} failed: ${(error as Error).message}`);
    }
  });
  const inFlightElsewhere = alerts.reduce(
    (n, a) => n + CHANNELS.filter((c) => claims[c].get(a.key) === 'busy').length,
    0,
  );
  if (inFlightElsewhere > 0) {
    log.info('alerts held by another invocation: it delivers them', { channels: inFlightElsewhere });
  }
  for (const f of failures) log.error(f);
  return { alertsSent, inFlightElsewhere, failures, conflicts };
}
