/** Amazon EventBridge: a copy of every alert, so teams can route alerts anywhere with a rule. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { EVENTS_MAX_BYTES, type EventEntry, eventBytes, eventEntry } from '../core/envelope';
import type { AlertPayload } from '../core/messages';
import type { EntryResult } from '../core/ports';
import { CLIENT_CONFIG } from './client-config';

export const eventBridge = new EventBridgeClient(CLIENT_CONFIG);

/** PutEvents takes at most ten entries per call, and 256 KiB in all. */
export const EVENTS_PER_CALL = 10;

/**
 * Puts alerts on the bus, in as few calls as the entry and size limits allow. An entry
 * EventBridge fails inside a successful reply is reported in its slot, like a failed call; an
 * entry too large on its own is reported failed without being sent.
 */
export async function putAlertEvents(
  eventBusName: string,
  payloads: readonly AlertPayload[],
  time: Date,
): Promise<EntryResult[]> {
  const results: EntryResult[] = new Array(payloads.length);
  let group: Array<{ index: number; entry: EventEntry }> = [];
  let bytes = 0;
  const flush = async () => {
    if (group.length === 0) return;
    const batch = group;
    group = [];
    bytes = 0;
    try {
      const res = await eventBridge.send(new PutEventsCommand({ Entries: batch.map((b) => b.entry) }));
      batch.forEach(({ index }, j) => {
        const e = res.Entries?.[j];
        results[index] =
          e?.EventId && !e.ErrorCode
            ? { ok: true, id: e.EventId }
            : { ok: false, error: `${e?.ErrorCode ?? 'Failed'}: ${e?.ErrorMessage ?? ''}` };
      });
    } catch (error) {
      for (const { index } of batch) results[index] = { ok: false, error: (error as Error).message };
    }
  };
  for (const [index, payload] of payloads.entries()) {
    const entry = eventEntry(payload, eventBusName, time);
    const size = eventBytes(entry);
    if (size > EVENTS_MAX_BYTES) {
      results[index] = {
        ok: false,
        error: `the event is ${size} bytes, over EventBridge's ${EVENTS_MAX_BYTES}`,
      };
      continue;
    }
    if (group.length === EVENTS_PER_CALL || bytes + size > EVENTS_MAX_BYTES) await flush();
    group.push({ index, entry });
    bytes += size;
  }
  await flush();
  return results;
}
