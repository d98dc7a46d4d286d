/**
 * Flood control, for the channel people read (SNS: e-mail, chat, pagers): when more alerts are due
 * in one run than `digestAfter`, at most that many go out one by one (the most urgent critical
 * ones) and the rest go out as one digest per severity, each cut to fit the size limits and
 * counting what it does not show. A digest is only transport: every alert in it keeps its own
 * ledger key, claimed and confirmed like an alert sent alone, so exactly-once holds per alert and
 * a member is never sent again alone after its digest went out. The digest has a key of its own
 * too, derived from its members: overlapping runs plan the same digest, and only the one that
 * claims its key sends it (the others leave its members alone). Pure.
 */
import { createHash } from 'node:crypto';
import type { AlertOrigin } from './alert';
import { digestAlert } from './digest';
import { MESSAGE_BUDGET_BYTES, snsBytes, snsEnvelope } from './envelope';
import { type RenderedAlert, renderAlert } from './messages';
import type { PlannedAlert } from './plan';
import type { Severity } from './severity';

/** Above this many alerts in one run, flood control groups them (the default of `digestAfter`). */
export const DEFAULT_DIGEST_AFTER = 10;

/** One message on the wire and the alerts (ledger keys) it delivers. */
export interface Message {
  readonly alert: PlannedAlert['alert'];
  /** The message's own ledger key: the alert's, or for a digest one derived from its members. */
  readonly key: string;
  /** The alerts it delivers (a single alert: its own key). */
  readonly keys: readonly string[];
  /** For a digest: the member alerts, to render it again with fewer of them. */
  readonly members?: readonly PlannedAlert[];
}

/** A digest's own ledger key: the same members always give the same key. */
export function digestKey(keys: readonly string[]): string {
  const hash = createHash('sha256')
    .update([...keys].sort().join('\n'))
    .digest('hex')
    .slice(0, 32);
  return `digest#${hash}`;
}

/** A message of one alert. */
export function alone(a: PlannedAlert): Message {
  return { alert: a.alert, key: a.key, keys: [a.key] };
}

/** The digest of `members` (most urgent first). */
export function digestOf(
  members: readonly PlannedAlert[],
  severity: Severity,
  now: Date,
  origin: AlertOrigin,
): Message {
  const keys = members.map((m) => m.key);
  return {
    alert: digestAlert(
      members.map((m) => m.alert),
      severity,
      now,
      origin,
    ),
    key: digestKey(keys),
    keys,
    members,
  };
}

const RANK: Record<Severity, number> = { critical: 0, warning: 1, info: 2 };

/**
 * Most urgent first: severity, then the nearest expiry (an alert about no expiry, such as an
 * invalid registration, after every token that expires: a flood of them cannot push a token's
 * warning out of a digest), then the key (a stable order).
 */
export function byUrgency(a: PlannedAlert, b: PlannedAlert): number {
  const when = (p: PlannedAlert) =>
    p.alert.token?.expiresAt.getTime() ?? p.alert.announcedExpiry?.getTime() ?? Number.POSITIVE_INFINITY;
  return (
    RANK[a.alert.severity] - RANK[b.alert.severity] ||
    when(a) - when(b) ||
    (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)
  );
}

/**
 * The messages for `alerts`: each alone when there are at most `cap`; otherwise the critical ones
 * alone (at most `cap - 1` when there are more than `cap`, the rest in a critical digest), and the
 * others in one digest per severity (a group of one goes alone while there is room). No more than
 * `cap` messages are ever sent alone.
 */
export function composeMessages(
  alerts: readonly PlannedAlert[],
  cap: number,
  now: Date,
  origin: AlertOrigin,
): Message[] {
  const sorted = [...alerts].sort(byUrgency);
  if (sorted.length <= cap) return sorted.map(alone);
  const single: PlannedAlert[] = [];
  const digests: Message[] = [];
  const group = (severity: Severity, members: readonly PlannedAlert[]) => {
    if (members.length === 0) return;
    if (members.length === 1 && single.length < cap) {
      single.push(members[0] as PlannedAlert);
      return;
    }
    digests.push(digestOf(members, severity, now, origin));
  };
  const critical = sorted.filter((a) => a.alert.severity === 'critical');
  const room = critical.length > cap ? Math.max(0, cap - 1) : critical.length;
  single.push(...critical.slice(0, room));
  group('critical', critical.slice(room));
  group(
    'warning',
    sorted.filter((a) => a.alert.severity === 'warning'),
  );
  group(
    'info',
    sorted.filter((a) => a.alert.severity === 'info'),
  );
  return [...single.map(alone), ...digests];
}

/**
 * A message rendered for every channel, within `MESSAGE_BUDGET_BYTES` on SNS: a digest shows as
 * many of its alerts as fit (the most urgent first) and counts the others.
 */
export function renderMessage(message: Message, budget = MESSAGE_BUDGET_BYTES): RenderedAlert {
  const full = renderAlert(message.alert);
  const entries = message.alert.digest;
  if (!entries || snsBytes(snsEnvelope(full)) <= budget) return full;
  const total = entries.length + (message.alert.digestOmitted ?? 0);
  const cut = (shown: number) =>
    renderAlert({
      ...message.alert,
      digest: entries.slice(0, shown),
      digestOmitted: total - shown,
    });
  // The largest number of entries that fits (rendering grows with each entry shown).
  let lo = 0;
  let hi = entries.length - 1;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (snsBytes(snsEnvelope(cut(mid))) <= budget) lo = mid;
    else hi = mid - 1;
  }
  return cut(lo);
}
