/** Amazon SNS: delivers an alert to every subscriber, each protocol in its own format. */
import {
  type MessageAttributeValue,
  PublishBatchCommand,
  type PublishBatchRequestEntry,
  PublishCommand,
  SNSClient,
} from '@aws-sdk/client-sns';
import type { AlertAttributes, RenderedAlert } from '../core/messages';
import { CLIENT_CONFIG } from './client-config';

export const sns = new SNSClient(CLIENT_CONFIG);

/** PublishBatch takes at most ten entries and 256 KiB in all. */
export const PUBLISH_BATCH_ENTRIES = 10;
export const PUBLISH_BATCH_BYTES = 262_144;

function messageAttributes(attributes: AlertAttributes): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    out[key] =
      typeof value === 'number'
        ? { DataType: 'Number', StringValue: String(value) }
        : { DataType: 'String', StringValue: String(value) };
  }
  return out;
}

/**
 * The message with `MessageStructure: json`: people get the text (email, default), Chatbot gets
 * its custom notification (https), programs get the JSON payload (SQS, Lambda, email-json).
 */
function structured(rendered: RenderedAlert) {
  const json = JSON.stringify(rendered.payload);
  return {
    Subject: rendered.subject,
    MessageStructure: 'json',
    Message: JSON.stringify({
      default: rendered.text,
      email: rendered.text,
      'email-json': json,
      sqs: json,
      lambda: json,
      // HTTPS subscribers are Chatbot (Slack, Teams): its custom notification format.
      https: JSON.stringify(rendered.chatbot),
    }),
    MessageAttributes: messageAttributes(rendered.attributes),
  };
}

/** Publishes one alert (the CLI's `test-alert`). Returns the SNS message ID. */
export async function publishAlert(topicArn: string, rendered: RenderedAlert): Promise<string | undefined> {
  const res = await sns.send(new PublishCommand({ TopicArn: topicArn, ...structured(rendered) }));
  return res.MessageId;
}

/** What size SNS counts for an entry: its message, subject and attributes. */
function entryBytes(entry: PublishBatchRequestEntry): number {
  let bytes = Buffer.byteLength(entry.Message ?? '') + Buffer.byteLength(entry.Subject ?? '');
  for (const [name, value] of Object.entries(entry.MessageAttributes ?? {})) {
    bytes +=
      Buffer.byteLength(name) +
      Buffer.byteLength(value.DataType ?? '') +
      Buffer.byteLength(value.StringValue ?? '');
  }
  return bytes;
}

export type EntryResult =
  | { readonly ok: true; readonly id: string }
  | { readonly ok: false; readonly error: string };

/**
 * Publishes alerts with PublishBatch, in as few calls as the entry and size limits allow. An
 * entry SNS fails inside a successful reply is reported in its slot, like a failed call.
 */
export async function publishAlerts(
  topicArn: string,
  alerts: readonly RenderedAlert[],
): Promise<EntryResult[]> {
  const results: EntryResult[] = new Array(alerts.length);
  const entries = alerts.map((a, i) => ({ Id: String(i), ...structured(a) }));
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
    const size = entryBytes(entry);
    if (group.length === PUBLISH_BATCH_ENTRIES || bytes + size > PUBLISH_BATCH_BYTES) await flush();
    group.push(entry);
    bytes += size;
  }
  await flush();
  return results;
}
