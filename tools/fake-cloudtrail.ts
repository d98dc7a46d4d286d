/**
 * CloudTrail's Event history as `LookupEvents` serves it, strictly: one lookup attribute of the
 * documented keys, 1 to 50 events a page (50 by default), newest first, inclusive time bounds,
 * a next token valid only for the same query, and 2 requests a second per account and region
 * (a token bucket of 2; more is answered with `ThrottlingException`). Events are kept per region.
 */
import { randomUUID } from 'node:crypto';

/** A recorded management event, as CloudTrail stores it (the `CloudTrailEvent` JSON's fields). */
export interface TrailEvent {
  readonly eventID: string;
  readonly eventTime: string;
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly [field: string]: unknown;
}

const ATTRIBUTE_KEYS: Record<string, (e: TrailEvent) => unknown> = {
  EventId: (e) => e.eventID,
  EventName: (e) => e.eventName,
  EventSource: (e) => e.eventSource,
  ReadOnly: (e) => String(e.readOnly ?? false),
  Username: (e) => (e.userIdentity as { userName?: string } | undefined)?.userName,
  AccessKeyId: (e) => (e.userIdentity as { accessKeyId?: string } | undefined)?.accessKeyId,
  ResourceType: () => undefined,
  ResourceName: () => undefined,
};

type Answer = [number, unknown];
const error = (code: string, message: string, status = 400): Answer => [status, { __type: code, message }];

export class FakeCloudTrail {
  readonly events: TrailEvent[] = [];
  /** Requests answered with ThrottlingException. */
  throttled = 0;
  private tokens = 2;
  private refilledAt = Date.now();
  private readonly pages = new Map<string, { query: string; offset: number }>();

  /** A full bucket again, as after a second of quiet (tests start each case from it). */
  resetRateLimit(): void {
    this.tokens = 2;
    this.refilledAt = Date.now();
  }

  /** Records a SCIM call (or any event) in `region` at `at`. */
  record(
    event: Partial<TrailEvent> & Pick<TrailEvent, 'eventTime' | 'eventSource' | 'eventName' | 'awsRegion'>,
  ): void {
    this.events.push({ ...event, eventID: typeof event.eventID === 'string' ? event.eventID : randomUUID() });
  }

  lookupEvents(input: Record<string, unknown>, region: string): Answer {
    // 2 requests a second per account and region: a bucket of 2 that refills at 2 a second.
    const now = Date.now();
    this.tokens = Math.min(2, this.tokens + ((now - this.refilledAt) / 1000) * 2);
    this.refilledAt = now;
    if (this.tokens < 1) {
      this.throttled++;
      return error('ThrottlingException', 'Rate exceeded');
    }
    this.tokens -= 1;
    const attributes = (input.LookupAttributes ?? []) as Array<{
      AttributeKey?: string;
      AttributeValue?: string;
    }>;
    if (!Array.isArray(attributes) || attributes.length > 1) {
      return error('InvalidLookupAttributesException', 'You can only specify one lookup attribute.');
    }
    const [attribute] = attributes;
    if (attribute && (!attribute.AttributeKey || !(attribute.AttributeKey in ATTRIBUTE_KEYS))) {
      return error('InvalidLookupAttributesException', `Invalid attribute key: ${attribute.AttributeKey}`);
    }
    if (attribute && (typeof attribute.AttributeValue !== 'string' || attribute.AttributeValue.length < 1)) {
      return error('InvalidLookupAttributesException', 'AttributeValue is required.');
    }
    const max = input.MaxResults ?? 50;
    if (!Number.isInteger(max) || (max as number) < 1 || (max as number) > 50) {
      return error('InvalidMaxResultsException', 'MaxResults must be from 1 to 50.');
    }
    // Epoch seconds on the wire (AWS JSON 1.1).
    const start = input.StartTime === undefined ? undefined : Number(input.StartTime) * 1000;
    const end = input.EndTime === undefined ? now : Number(input.EndTime) * 1000;
    if (start !== undefined && start > end) {
      return error('InvalidTimeRangeException', 'StartTime must be before EndTime.');
    }
    const query = JSON.stringify({ attributes, start, end, max, region });
    let offset = 0;
    if (input.NextToken !== undefined) {
      const page = this.pages.get(String(input.NextToken));
      if (!page || page.query !== query) return error('InvalidNextTokenException', 'Invalid NextToken.');
      offset = page.offset;
    }
    const match = attribute ? ATTRIBUTE_KEYS[attribute.AttributeKey as string] : undefined;
    const selected = this.events
      .filter((e) => e.awsRegion === region)
      .filter((e) => {
        const t = Date.parse(e.eventTime);
        return (start === undefined || t >= start) && t <= end;
      })
      .filter((e) => !match || match(e) === attribute?.AttributeValue)
      .sort((a, b) => Date.parse(b.eventTime) - Date.parse(a.eventTime));
    const slice = selected.slice(offset, offset + (max as number));
    const next = offset + slice.length < selected.length ? randomUUID() : undefined;
    if (next) this.pages.set(next, { query, offset: offset + slice.length });
    return [
      200,
      {
        Events: slice.map((e) => ({
          EventId: e.eventID,
          EventName: e.eventName,
          EventSource: e.eventSource,
          EventTime: Date.parse(e.eventTime) / 1000,
          ReadOnly: String(e.readOnly ?? false),
          AccessKeyId: (e.userIdentity as { accessKeyId?: string } | undefined)?.accessKeyId,
          Resources: [],
          CloudTrailEvent: JSON.stringify(e),
        })),
        ...(next ? { NextToken: next } : {}),
      },
    ];
  }
}
