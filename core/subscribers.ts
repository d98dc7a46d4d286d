/**
 * The safety net under the safety net: an alert that reaches nobody is no alert. Each scheduled
 * run counts the alert topic's confirmed subscriptions; when the count drops (someone clicked an
 * e-mail's unsubscribe link, a chat channel was deleted) or there is nobody left, it says so
 * through the channels that remain: the subscribers still there, and EventBridge. Pure.
 */
import { type Alert, type AlertOrigin, originFields } from './alert';
import { type Commit, SUBSCRIBERS_STATE_KEY, type SubscribersState } from './state';

/** What SNS reports of the topic (GetTopicAttributes). */
export interface SubscriberCount {
  readonly confirmed: number;
  readonly pending: number;
}

export interface SubscribersDecision {
  readonly alert?: { readonly alert: Alert; readonly key: string };
  readonly commit?: Commit;
}

/**
 * - A drop below the last recorded count: one `subscribers-dropped` alert per drop (critical when
 *   nobody is left), and the new count is recorded with it.
 * - The first count ever, zero with none pending: the same alert, once (nobody will ever hear).
 * - Anything else: the count is recorded when it changed, with no alert.
 */
export function decideSubscribers(
  count: SubscriberCount | undefined,
  stored: SubscribersState | undefined,
  now: Date,
  origin: AlertOrigin,
): SubscribersDecision {
  if (!count) return {};
  const drops = stored?.drops ?? 0;
  const before = stored?.confirmed;
  const dropped =
    before === undefined ? count.confirmed === 0 && count.pending === 0 : count.confirmed < before;
  if (!dropped) {
    if (before === count.confirmed) return {};
    return {
      commit: {
        write: { key: SUBSCRIBERS_STATE_KEY, state: { confirmed: count.confirmed, drops } },
        after: [],
      },
    };
  }
  const key = `${SUBSCRIBERS_STATE_KEY}#drop#${drops + 1}`;
  const nobody = count.confirmed === 0;
  return {
    alert: {
      key,
      alert: {
        alertType: 'subscribers-dropped',
        severity: nobody ? 'critical' : 'warning',
        evaluatedAt: now,
        subscribers: { before: before ?? 0, now: count.confirmed, pending: count.pending },
        reason: nobody
          ? 'The alert topic has no confirmed subscription left: SCIM token alerts reach nobody by e-mail or chat (only EventBridge rules still see them).'
          : `The alert topic had ${before} confirmed subscriptions and now has ${count.confirmed}: someone unsubscribed (an e-mail's unsubscribe link), or a subscription was deleted.`,
        ...originFields(origin),
      },
    },
    commit: {
      write: { key: SUBSCRIBERS_STATE_KEY, state: { confirmed: count.confirmed, drops: drops + 1 } },
      after: [key],
    },
  };
}
