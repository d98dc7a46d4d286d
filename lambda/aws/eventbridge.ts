/** Amazon EventBridge: a copy of every alert, so teams can route alerts anywhere with a rule. */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import type { AlertPayload } from '../core/messages';
import { CLIENT_CONFIG } from './client-config';

export const eventBridge = new EventBridgeClient(CLIENT_CONFIG);

export const EVENT_SOURCE = 'scim-token-monitor';
export const EVENT_DETAIL_TYPE = 'SCIM Token Expiry Alert';
/** PutEvents takes at most ten entries per call. */
export const EVENTS_PER_CALL = 10;

/**
 * Puts up to ten alerts on the bus in one call. Resolves to the indexes of the entries
 * EventBridge did not accept (an empty list when all were).
 */
export async function putAlertEvents(
  eventBusName: string,
  payloads: readonly AlertPayload[],
  time: Date,
): Promise<Array<{ index: number; error: string }>> {
  if (payloads.length > EVENTS_PER_CALL) throw new Error(`putAlertEvents takes at most ${EVENTS_PER_CALL}`);
  const res = await eventBridge.send(
    new PutEventsCommand({
      Entries: payloads.map((p) => ({
        Source: EVENT_SOURCE,
        DetailType: EVENT_DETAIL_TYPE,
        Detail: JSON.stringify(p),
        EventBusName: eventBusName,
        Time: time,
      })),
    }),
  );
  return (res.Entries ?? []).flatMap((e, index) =>
    e.ErrorCode ? [{ index, error: `${e.ErrorCode}: ${e.ErrorMessage ?? ''}` }] : [],
  );
}
