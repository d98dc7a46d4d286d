/**
 * What goes on the wire for each channel, and what it weighs as AWS counts it: the SNS message
 * (one per protocol, `MessageStructure: json`) and the EventBridge entry. Pure, so the core can
 * bound every message it builds before anything is sent.
 */
import { MONITOR_EVENTS } from './contract';
import type { AlertAttributes, AlertPayload, RenderedAlert } from './messages';

/** SNS: a message (with its subject and attributes), and a whole PublishBatch, at most 256 KiB. */
export const SNS_MAX_BYTES = 262_144;
/** EventBridge: a PutEvents request, all its entries together, at most 256 KiB. */
export const EVENTS_MAX_BYTES = 262_144;
/**
 * Every message the monitor builds stays under this, whatever the registry holds: a digest is cut
 * to fit (and counts what it leaves out), and a single alert's fields are capped well below it.
 * A quarter of the limits, so a batch still carries several.
 */
export const MESSAGE_BUDGET_BYTES = 65_536;

export interface SnsMessageAttribute {
  readonly DataType: 'String' | 'Number';
  readonly StringValue: string;
}

/** One SNS message, as Publish and PublishBatch entries take it. */
export interface SnsEnvelope {
  readonly Subject: string;
  readonly MessageStructure: 'json';
  readonly Message: string;
  readonly MessageAttributes: Record<string, SnsMessageAttribute>;
}

function messageAttributes(attributes: AlertAttributes): Record<string, SnsMessageAttribute> {
  const out: Record<string, SnsMessageAttribute> = {};
  for (const [key, value] of Object.entries(attributes)) {
    out[key] = { DataType: typeof value === 'number' ? 'Number' : 'String', StringValue: String(value) };
  }
  return out;
}

/**
 * The message with `MessageStructure: json`: people get the text (email, default), Chatbot gets
 * its custom notification (https), programs get the JSON payload (SQS, Lambda, email-json).
 */
export function snsEnvelope(rendered: RenderedAlert): SnsEnvelope {
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

/** What SNS counts for a message: its body, subject and attributes (names, types and values). */
export function snsBytes(envelope: Pick<SnsEnvelope, 'Message' | 'Subject' | 'MessageAttributes'>): number {
  let bytes = Buffer.byteLength(envelope.Message) + Buffer.byteLength(envelope.Subject);
  for (const [name, value] of Object.entries(envelope.MessageAttributes)) {
    bytes +=
      Buffer.byteLength(name) + Buffer.byteLength(value.DataType) + Buffer.byteLength(value.StringValue);
  }
  return bytes;
}

/** One PutEvents entry for an alert. */
export interface EventEntry {
  readonly Source: string;
  readonly DetailType: string;
  readonly Detail: string;
  readonly EventBusName: string;
  readonly Time: Date;
}

export function eventEntry(payload: AlertPayload, eventBusName: string, time: Date): EventEntry {
  return {
    Source: MONITOR_EVENTS.source,
    DetailType: MONITOR_EVENTS.detailType,
    Detail: JSON.stringify(payload),
    EventBusName: eventBusName,
    Time: time,
  };
}

/** What EventBridge counts for an entry: 14 bytes for Time, then Source, DetailType and Detail. */
export function eventBytes(entry: Pick<EventEntry, 'Source' | 'DetailType' | 'Detail'>): number {
  return (
    14 +
    Buffer.byteLength(entry.Source) +
    Buffer.byteLength(entry.DetailType) +
    Buffer.byteLength(entry.Detail)
  );
}
