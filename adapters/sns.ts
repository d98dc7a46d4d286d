/** Amazon SNS: delivers an alert to every subscriber, each protocol in its own format. */
import {
  GetTopicAttributesCommand,
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import { SNS_MAX_BYTES, snsBytes, snsEnvelope } from '../core/envelope';
import type { RenderedAlert } from '../core/messages';
import type { EntryResult } from '../core/ports';
import type { SubscriberCount } from '../core/subscribers';
import { CLIENT_CONFIG } from './client-config';

export type { EntryResult } from '../core/ports';

export const sns = new SNSClient(CLIENT_CONFIG);

/** PublishBatch takes at most ten entries, and 256 KiB in all. */
export const PUBLISH_BATCH_ENTRIES = 10;

/** Publishes one alert (the CLI's `test-alert`, the alarm relay). Returns the SNS message ID. */
export async function publishAlert(topicArn: string, rendered: RenderedAlert): Promise<string | undefined> {
  const res = await sns.send(new PublishCommand({ TopicArn: topicArn, ...snsEnvelope(rendered) }));
  return res.MessageId;
}

/**
 * Publishes alerts with PublishBatch, in as few calls as the entry and size limits allow. An
 * entry SNS fails inside a successful reply is reported in its slot, like a failed call; an entry
 * too large for SNS on its own is reported failed without being sent, so it never takes a batch
 * of others down with it (the core keeps every message far below the limit: core/envelope.ts).
 */
export async function publishAlerts(
  topicArn: string,
  alerts: readonly RenderedAlert[],
): Promise<EntryResult[]> {
  const results: EntryResult[] = new Array(alerts.length);
  const entries = alerts.map((a, i) => ({ Id: String(i), ...snsEnvelope(a) }));
  let group: PublishBatchRequestEntry[] = [];
  let bytes = 0;
  const flush = async () => {
    if (group.length === 0) return;
    const batch = group;
    group = [];
    bytes = 0;
    try {
      const res = await sns.send(
        new PublishBatchCommand({ TopicArn: topicArn, PublishBatchRequestEntries: batch }),
      );
      for (const ok of res.Successful ?? []) results[Number(ok.Id)] = { ok: true, id: ok.MessageId ?? '' };
      for (const bad of res.Failed ?? []) {
        results[Number(bad.Id)] = { ok: false, error: `${bad.Code ?? 'Failed'}: ${bad.Message ?? ''}` };
      }
      for (const e of batch)
        results[Number(e.Id)] ??= { ok: false, error: 'SNS did not report on the entry' };
    } catch (error) {
      for (const e of batch) results[Number(e.Id)] = { ok: false, error: (error as Error).message };
    }
  };
  for (const entry of entries) {
    const size = snsBytes(entry);
    if (size > SNS_MAX_BYTES) {
      results[Number(entry.Id)] = {
        ok: false,
        error: `the message is ${size} bytes, over SNS's ${SNS_MAX_BYTES}`,
      };
      continue;
    }
    if (group.length === PUBLISH_BATCH_ENTRIES || bytes + size > SNS_MAX_BYTES) await flush();
    group.push(entry);
    bytes += size;
  }
  await flush();
  return results;
}

/** The topic's confirmed and pending subscriptions (GetTopicAttributes: one call). */
export async function topicSubscribers(topicArn: string): Promise<SubscriberCount> {
  const res = await sns.send(new GetTopicAttributesCommand({ TopicArn: topicArn }));
  const count = (name: string) => {
    const n = Number(res.Attributes?.[name]);
    if (!Number.isInteger(n) || n < 0) throw new Error(`GetTopicAttributes returned no ${name}`);
    return n;
  };
  return { confirmed: count('SubscriptionsConfirmed'), pending: count('SubscriptionsPending') };
}
