/**
 * The alarm relay: CloudWatch invokes it when one of the monitor's own alarms changes state, and
 * it publishes that change to the alert topic as an alert, with the alerts' message attributes
 * (`severity: critical` while in ALARM), so filtered subscribers (a pager on critical alerts) hear
 * that the monitor itself is failing. An event it cannot read is logged and dropped (a retry would
 * not make it readable); a failed publish throws, so Lambda retries it.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { publishAlert } from '../../adapters/sns';
import { RELAY_ENV, SERVICE_NAMES } from '../../core/contract';
import { renderAlert } from '../../core/messages';
import { monitorAlarmAlert, parseAlarmChange } from '../../core/monitor-alarm';

const logger = new Logger({ serviceName: SERVICE_NAMES.alarmRelay });

export async function handler(event: unknown): Promise<{ relayed: boolean }> {
  const parsed = parseAlarmChange(event);
  if (!parsed.ok) {
    logger.warn('event dropped', { reason: parsed.reason });
    return { relayed: false };
  }
  const topicArn = process.env[RELAY_ENV.alertTopicArn];
  if (!topicArn)
    throw new Error(`Missing environment variable ${RELAY_ENV.alertTopicArn}: redeploy the monitor.`);
  const rendered = renderAlert(
    monitorAlarmAlert(parsed.alarm, process.env[RELAY_ENV.environmentName]?.trim() || undefined),
  );
  const messageId = await publishAlert(topicArn, rendered);
  logger.info('alarm relayed', { alarm: parsed.alarm.name, state: parsed.alarm.state, messageId });
  return { relayed: true };
}
