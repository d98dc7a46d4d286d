/** Amazon SNS: delivers an alert to every subscriber, each protocol in its own format. */
import { type MessageAttributeValue, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import type { AlertAttributes, RenderedAlert } from '../core/messages';
import { CLIENT_CONFIG } from './client-config';

export const sns = new SNSClient(CLIENT_CONFIG);

function messageAttributes(attributes: AlertAttributes): Record<string, MessageAttributeValue> {
  const out: Record<string, MessageAttributeValue> = {};
  for (const [key, value] of Object.entries(attributes)) {
    out[key] =
      typeof value === 'number'
        ? { DataType: 'Number', StringValue: String(value) }
        : { DataType: 'String', StringValue: String(value) };
  }
  return out;
}

/**
 * Publishes with `MessageStructure: json`: people get the text (email, default), Chatbot gets
 * its custom notification (https), programs get the JSON payload (SQS, Lambda, email-json).
 * Returns the SNS message ID.
 */
export async function publishAlert(topicArn: string, rendered: RenderedAlert): Promise<string | undefined> {
  const json = JSON.stringify(rendered.payload);
  const res = await sns.send(
    new PublishCommand({
      TopicArn: topicArn,
      Subject: rendered.subject,
      MessageStructure: 'json',
      Message: JSON.stringify({
        default: rendered.text,
        email: rendered.text,
        'email-json': json,
        sqs: json,
        lambda: json,
        // HTTPS subscribers are Chatbot (Slack, Teams): its custom notification format.
        https: JSON.stringify(rendered.chatbot),
      }),
      MessageAttributes: messageAttributes(rendered.attributes),
    }),
  );
  return res.MessageId;
}
