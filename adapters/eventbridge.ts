/** Amazon EventBridge: a copy of every alert, so teams can route alerts anywhere with a rule. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AlertPayload } from '../core/messages';
import { CLIENT_CONFIG } from './client-config';
import type { EntryResult } from './sns';

export const eventBridge = new EventBridgeClient(CLIENT_CONFIG);

export const EVENT_SOURCE = 'scim-token-monitor';
export const EVENT_DETAIL_TYPE = 'SCIM Token Expiry Alert';
/** PutEvents takes at most ten entries per call. */
export const EVENTS_PER_CALL = 10;

/**
 * Puts alerts on the bus, ten per call. An entry EventBridge fails inside a successful reply is
 * reported in its slot, like a failed call.
 */
export async function putAlertEvents(
  eventBusName: string,
  payloads: readonly AlertPayload[],
  time: Date,
): Promise<EntryResult[]> {
  const results: EntryResult[] = [];
  for (let i = 0; i < payloads.length; i += EVENTS_PER_CALL) {
    const group = payloads.slice(i, i + EVENTS_PER_CALL);
    try {
      const res = await eventBridge.send(
        new PutEventsCommand({
          Entries: group.map((p) => ({
            Source: EVENT_SOURCE,
            DetailType: EVENT_DETAIL_TYPE,
            Detail: JSON.stringify(p),
            EventBusName: eventBusName,
            Time: time,
          })),
        }),
      );
      group.forEach((_, j) => {
        const e = res.Entries?.[j];
        results.push(
          e?.EventId && !e.ErrorCode
            ? { ok: true, id: e.EventId }
            : { ok: false, error: `${e?.ErrorCode ?? 'Failed'}: ${e?.ErrorMessage ?? ''}` },
        );
      });
    } catch (error) {
      for (const _ of group) results.push({ ok: false, error: (error as Error).message });
    }
  }
  return results;
}
