/**
 * What arrives on the alert topic: our alerts (the JSON payload), and the monitor's own
 * CloudWatch alarms, which publish their JSON to the same topic. A forwarder must render both.
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

export function classifyMessage(message: string): TopicMessage {
  let parsed: unknown;
  try {
    parsed = JSON.parse(message);
  } catch {
    return { kind: 'other', text: message };
  }
  const o = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  if (
    o.schemaVersion === 1 &&
    typeof o.alertType === 'string' &&
    typeof o.severity === 'string' &&
    typeof o.consoleUrl === 'string'
  ) {
    return { kind: 'alert', payload: o as unknown as AlertPayload };
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
