/**
 * The monitor's own CloudWatch alarms, as alerts: the event CloudWatch sends a Lambda alarm action,
 * read into an `Alert` (`monitor-alarm`) so it is rendered and published like every alert, with
 * the same message attributes. A pager subscribed with `{"severity": ["critical"]}` then also hears
 * that the monitor itself is failing. Pure: the event is an argument.
 */
import type { Alert } from './alert';
import { ALARM_EVENTS } from './contract';
import { oneLine } from './text';

export interface AlarmChange {
  readonly name: string;
  readonly arn: string;
  readonly state: string;
  readonly reason: string;
  readonly description: string;
  readonly time: Date;
  readonly account: string;
  readonly region: string;
}

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const obj = (v: unknown): Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {};

/**
 * Reads a CloudWatch alarm's change of state: the event a Lambda alarm action receives (the
 * monitor's own alarms), or the one EventBridge carries (`CloudWatch Alarm State Change`: the AWS
 * Health forwarder's alarm, forwarded from the account that owns IAM Identity Center). Anything
 * else is a reason, never an exception.
 */
export function parseAlarmChange(
  event: unknown,
): { ok: true; alarm: AlarmChange } | { ok: false; reason: string } {
  const e = obj(event);
  const viaEventBridge = e['detail-type'] === ALARM_EVENTS.detailType;
  const data = viaEventBridge ? obj(e.detail) : obj(e.alarmData);
  const state = obj(data.state);
  if (e.source !== ALARM_EVENTS.source || !str(data.alarmName) || !str(state.value)) {
    return { ok: false, reason: 'not a CloudWatch alarm event' };
  }
  const time = new Date(str(state.timestamp) || str(e.time));
  const arn = viaEventBridge ? str((Array.isArray(e.resources) ? e.resources : [])[0]) : str(e.alarmArn);
  return {
    ok: true,
    alarm: {
      name: oneLine(str(data.alarmName), 255),
      arn: oneLine(arn, 512),
      state: oneLine(str(state.value), 20),
      reason: oneLine(str(state.reason), 1000),
      description: oneLine(str(obj(data.configuration).description), 1000),
      time: Number.isNaN(time.getTime()) ? new Date(0) : time,
      account: oneLine(str(viaEventBridge ? e.account : e.accountId), 12),
      region: oneLine(str(e.region), 30),
    },
  };
}

/** ALARM is critical (the monitor may be blind); recovery and anything else is information. */
export function monitorAlarmAlert(alarm: AlarmChange, environmentName?: string): Alert {
  const firing = alarm.state === 'ALARM';
  return {
    alertType: 'monitor-alarm',
    severity: firing ? 'critical' : 'info',
    evaluatedAt: alarm.time,
    alarm: { name: alarm.name, state: alarm.state },
    reason: `${alarm.name} is ${alarm.state}: ${alarm.description || 'no description'} (${alarm.reason || 'no reason given'})`,
    consoleUrl: `https://console.aws.amazon.com/cloudwatch/home?region=${encodeURIComponent(alarm.region)}#alarmsV2:alarm/${encodeURIComponent(alarm.name)}`,
    ...(alarm.account ? { account: alarm.account } : {}),
    ...(environmentName ? { environmentName } : {}),
    region: alarm.region,
    registryPrefix: '',
  };
}
