/**
 * What arrives on the alert topic: our alerts (the JSON payload, the monitor's own alarms among
 * them, relayed), and anything else someone allowed to publish put there: a CloudWatch alarm's
 * JSON (another stack's, admitted with `allowAlarmsToPublish`), or text. A forwarder renders
 * each as what it is.
 */
import type { AlertPayload } from './payload';

export interface AlarmNotification {
  readonly alarmName: string;
  readonly newState: string;
  readonly reason: string;
  readonly description: string;
  readonly region: string;
  readonly time: string;
}

export type TopicMessage =
  | { readonly kind: 'alert'; readonly payload: AlertPayload }
  | { readonly kind: 'alarm'; readonly alarm: AlarmNotification }
  | { readonly kind: 'other'; readonly text: string };

const str = (v: unknown): string => (typeof v === 'string' ? v : '');

const ALERT_TYPES = new Set([
  'digest',
  'expiry-warning',
  'expired',
  'invalid-registration',
  'no-tokens',
  'unregistered-token',
  'token-rejected',
  'probe-inconclusive',
  'token-date-moved',
  'monitor-alarm',
  'health-notice-unreadable',
  'subscribers-dropped',
  'token-rotated',
  'scim-calls-failing',
  'scim-calls-silent',
  'test',
]);
const SEVERITIES = new Set(['info', 'warning', 'critical']);
/** The only links an alert carries are the AWS consoles' (commercial, GovCloud, China). */
const CONSOLE_URL =
  /^https:\/\/([a-z0-9-]+\.)*console\.(aws\.amazon\.com|amazonaws-us-gov\.com|amazonaws\.cn)\//;
const STRING_OR_NULL = [
  'tokenName',
  'parameterName',
  'expiresAt',
  'expiryDate',
  'createdAt',
  'tokenId',
  'tokenSource',
  'identityProvider',
  'owner',
  'notes',
  'reason',
  'account',
] as const;
const NUMBER_OR_NULL = ['daysRemaining', 'threshold'] as const;

/**
 * Our payload, field by field: anything on the topic that merely looks like one (a forged message
 * with a foreign link, a field of the wrong type) is not rendered as an alert, so it can neither
 * crash the forwarder nor put someone else's button in the channel.
 */
function isAlertPayload(o: Record<string, unknown>): boolean {
  if (o.schemaVersion !== 1 || !ALERT_TYPES.has(str(o.alertType)) || !SEVERITIES.has(str(o.severity)))
    return false;
  if (
    !CONSOLE_URL.test(str(o.consoleUrl)) ||
    typeof o.region !== 'string' ||
    typeof o.evaluatedAt !== 'string'
  )
    return false;
  if (!STRING_OR_NULL.every((k) => o[k] === undefined || o[k] === null || typeof o[k] === 'string'))
    return false;
  if (!NUMBER_OR_NULL.every((k) => o[k] === undefined || o[k] === null || Number.isFinite(o[k])))
    return false;
  if (o.reminder !== undefined && o.reminder !== null && !Number.isInteger(o.reminder)) return false;
  if (o.digest !== undefined && !(Array.isArray(o.digest) && o.digest.every(isDigestEntry))) return false;
  const instance = o.instance;
  if (instance === undefined || instance === null) return true;
  const i = (typeof instance === 'object' ? instance : {}) as Record<string, unknown>;
  return (
    typeof i.instanceArn === 'string' && (i.identityStoreId === null || typeof i.identityStoreId === 'string')
  );
}

function isDigestEntry(e: unknown): boolean {
  const d = (typeof e === 'object' && e !== null ? e : {}) as Record<string, unknown>;
  return (
    (d.tokenName === null || typeof d.tokenName === 'string') &&
    ALERT_TYPES.has(str(d.alertType)) &&
    SEVERITIES.has(str(d.severity)) &&
    (d.daysRemaining === null || Number.isFinite(d.daysRemaining)) &&
    (d.threshold === undefined || d.threshold === null || Number.isFinite(d.threshold)) &&
    (d.expiryDate === null || typeof d.expiryDate === 'string')
  );
}

export function classifyMessage(message: string): TopicMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { kind: 'other', text: message };
  }
  const o = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (isAlertPayload(o)) {
    return { kind: 'alert', payload: { reminder: null, ...o } as unknown as AlertPayload };
  }
  if (typeof o.AlarmName === 'string' && typeof o.NewStateValue === 'string') {
    return {
      kind: 'alarm',
      alarm: {
        alarmName: o.AlarmName,
        newState: o.NewStateValue,
        reason: str(o.NewStateReason),
        description: str(o.AlarmDescription),
        region: str(o.Region),
        time: str(o.StateChangeTime),
      },
    };
  }
  return { kind: 'other', text: message };
}
