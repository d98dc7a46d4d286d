/**
 * Slack without Chatbot: subscribed to the alert topic, posts each message to a Slack incoming
 * webhook as Block Kit. The webhook URL lives in Secrets Manager and is read here, cached for
 * five minutes; it never appears in the template, the logs or an error. A failed post throws, so
 * Lambda retries it (twice) and then keeps it in the encrypted dead-letter queue.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { getSecret } from '@aws-lambda-powertools/parameters/secrets';
import type { SNSEvent } from 'aws-lambda';
import { slackAlarmMessage, slackMessage, slackTextMessage } from '../../core/chat';
import { SERVICE_NAMES, SLACK_ENV } from '../../core/contract';
import { classifyMessage } from '../../core/notification';

const logger = new Logger({ serviceName: SERVICE_NAMES.slack });

/** The secret holds the URL itself, or JSON with a `url` (or `webhookUrl`) field. */
export function webhookUrl(secret: unknown): URL {
  let text = typeof secret === 'string' ? secret.trim() : '';
  if (text.startsWith('{')) {
    try {
      const o = JSON.parse(text) as Record<string, unknown>;
      text = String(o.url ?? o.webhookUrl ?? '');
    } catch {
      text = '';
    }
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error('The Slack webhook secret does not hold a URL (or JSON with a "url" field).');
  }
  if (url.protocol !== 'https:') throw new Error('The Slack webhook URL must use https.');
  return url;
}

export async function handler(event: SNSEvent): Promise<void> {
  const secretName = process.env[SLACK_ENV.webhookSecretName];
  if (!secretName)
    throw new Error(`Missing environment variable ${SLACK_ENV.webhookSecretName}: redeploy the monitor.`);
  const url = webhookUrl(await getSecret(secretName, { maxAge: 300 }));

  const records = Array.isArray(event?.Records) ? event.Records : [];
  if (records.length === 0) logger.warn('event dropped: no SNS records');
  for (const record of records) {
    const text = record?.Sns?.Message;
    if (typeof text !== 'string') {
      // Retrying cannot make it readable: log and drop, instead of failing into the DLQ.
      logger.warn('record dropped: not an SNS message');
      continue;
    }
    const message = classifyMessage(text);
    let body: ReturnType<typeof slackTextMessage>;
    try {
      body =
        message.kind === 'alert'
          ? slackMessage(message.payload)
          : message.kind === 'alarm'
            ? slackAlarmMessage(message.alarm)
            : slackTextMessage(message.text);
    } catch (error) {
      logger.warn('record dropped: could not be rendered', { error: (error as Error).name });
      continue;
    }
    let status: number;
    try {
      const res = await fetch(url, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(10_000),
      });
      status = res.status;
    } catch (error) {
      // Never echo the URL: report only what kind of failure it was.
      throw new Error(`Posting to the Slack webhook failed: ${(error as Error).name}`);
    }
    if (status < 200 || status >= 300) throw new Error(`Slack rejected the message: HTTP ${status}`);
    logger.info('posted to Slack', { kind: message.kind, messageId: record.Sns?.MessageId });
  }
}
