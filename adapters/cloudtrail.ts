/**
 * CloudTrail's Event history (`LookupEvents`): the SCIM calls of a window, newest first, within a
 * page budget and a time budget, paced under the API's 2 requests a second per account and region.
 * Only the fields core/provisioning.ts keeps are read from each event.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import type { LookupBudget } from '../core/ports';
import { parseScimCall, SCIM_EVENT_SOURCE, type ScimCall, type Window } from '../core/provisioning';
import { CLIENT_CONFIG } from './client-config';

/** LookupEvents answers at most 50 events a page. */
export const EVENTS_PER_PAGE = 50;
/** 2 requests a second per account and region: one every half second, whatever else runs. */
export const MIN_REQUEST_INTERVAL_MS = 500;

let client: CloudTrailClient | undefined;
const cloudTrail = () => {
  client ??= new CloudTrailClient(CLIENT_CONFIG);
  return client;
};

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Reads the window's SCIM calls, newest first, stopping at the budget (the window is then incomplete). */
export async function lookupScimCalls(
  from: Date,
  to: Date,
  budget: LookupBudget,
): Promise<Window & { pages: number }> {
  const calls: ScimCall[] = [];
  let token: string | undefined;
  let pages = 0;
  let oldest: Date | undefined;
  let lastRequest = Number.NEGATIVE_INFINITY;
  for (;;) {
    if (pages >= budget.maxPages || budget.clock() >= budget.deadline) {
      return { from, to, calls, complete: false, ...(oldest ? { oldestRead: oldest } : {}), pages };
    }
    const wait = lastRequest + MIN_REQUEST_INTERVAL_MS - budget.clock();
    if (wait > 0) await sleep(wait);
    lastRequest = budget.clock();
    const page = await cloudTrail().send(
      new LookupEventsCommand({
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: SCIM_EVENT_SOURCE }],
        StartTime: from,
        EndTime: to,
        MaxResults: EVENTS_PER_PAGE,
        ...(token ? { NextToken: token } : {}),
      }),
    );
    pages++;
    for (const event of page.Events ?? []) {
      const call = parseScimCall(event.CloudTrailEvent);
      if (call) calls.push(call);
      if (event.EventTime && (!oldest || event.EventTime < oldest)) oldest = event.EventTime;
    }
    token = page.NextToken;
    if (!token) return { from, to, calls, complete: true, pages };
  }
}
