import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { clearCaches } from '@aws-lambda-powertools/parameters';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SNSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import { renderAlert } from '../../core/messages';
import { handler, webhookUrl } from '../../functions/slack/handler';

const secrets = mockClient(SecretsManagerClient);

function snsEvent(...messages: string[]): SNSEvent {
  return {
    Records: messages.map((Message, i) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:eu-west-1:123456789012:t:sub',
      Sns: {
        Type: 'Notification',
        MessageId: `m-${i}`,
        TopicArn: 'arn:aws:sns:eu-west-1:123456789012:t',
        Subject: null as unknown as string,
        Message,
        Timestamp: '2027-01-08T08:00:01.000Z',
        SignatureVersion: '1',
        Signature: 's',
        SigningCertUrl: 'https://example.invalid',
        UnsubscribeUrl: 'https://example.invalid',
        MessageAttributes: {},
      },
    })),
  };
}

const alertPayload = JSON.stringify(
  renderAlert({
    alertType: 'expiry-warning',
    severity: 'critical',
    evaluatedAt: new Date('2027-01-08T08:00:00Z'),
    tokenName: 'okta-prod',
    parameterName: '/scim-token-monitor/tokens/okta-prod',
    daysRemaining: 7,
    threshold: 7,
    token: {
      name: 'okta-prod',
      parameterName: '/scim-token-monitor/tokens/okta-prod',
      version: 1,
      revision: '1',
      source: 'json',
      expiresAt: new Date('2027-01-15T00:00:00Z'),
      expiryExplicit: false,
      validityDays: 365,
      owner: '<!channel>',
    },
    consoleUrl: 'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
    region: 'eu-west-1',
    registryPrefix: '/scim-token-monitor/tokens/',
  }).payload,
);

const alarm = JSON.stringify({
  AlarmName: 'ScimTokenMonitor-NotRunAlarm',
  AlarmDescription: 'The SCIM token monitor has not completed a successful run for 26 hours',
  NewStateValue: 'ALARM',
  NewStateReason: 'Threshold Crossed',
  Region: 'EU (Ireland)',
  StateChangeTime: '2027-01-08T10:00:00.000+0000',
});

/**
 * Runs `act` with the secret pointing at a local stand-in for Slack's webhook endpoint that
 * answers `status`. The handler insists on https; the stand-in speaks http, so here only, fetch
 * is pointed back at http.
 */
async function withSlack(status: number, act: () => Promise<void>) {
  const server = await slack(status);
  secrets.on(GetSecretValueCommand).resolves({ SecretString: server.url.replace('http:', 'https:') });
  const realFetch = global.fetch;
  global.fetch = ((url: URL, init: RequestInit) =>
    realFetch(String(url).replace('https:', 'http:'), init)) as typeof fetch;
  try {
    await act();
  } finally {
    global.fetch = realFetch;
    await server.close();
  }
  return server.received;
}

/** A local stand-in for Slack's webhook endpoint, answering with `status`. */
async function slack(status: number) {
  const received: Array<{ path: string; body: Record<string, unknown> }> = [];
  const server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(body) });
      res.writeHead(status).end(status === 200 ? 'ok' : 'invalid_payload');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/services/T000/B000/secret-part`;
  return { url, received, close: () => new Promise<void>((r) => server.close(() => r())) };
}

describe('webhookUrl', () => {
  it('reads the URL from the secret, alone or as JSON', () => {
    expect(webhookUrl('https://hooks.slack.com/services/T/B/x').hostname).toBe('hooks.slack.com');
    expect(webhookUrl('{"url":"https://hooks.slack.com/services/T/B/x"}').pathname).toBe('/services/T/B/x');
  });
  it('refuses anything else without echoing it', () => {
    expect(() => webhookUrl('not a url')).toThrow('The Slack webhook secret does not hold a URL');
    expect(() => webhookUrl('http://hooks.slack.com/services/T/B/x')).toThrow('must use https');
  });
});

describe('the Slack forwarder', () => {
  beforeEach(() => {
    secrets.reset();
    // The forwarder caches the secret for five minutes, as it should; each test has its own.
    clearCaches();
    process.env.SLACK_WEBHOOK_SECRET_NAME = 'scim-monitor/slack-webhook';
  });

  it('posts alerts and alarms as Block Kit to the webhook in the secret', async () => {
    const received = await withSlack(200, () => handler(snsEvent(alertPayload, alarm)));
    expect(received).toHaveLength(2);
    expect(received[0]?.path).toBe('/services/T000/B000/secret-part');
    const blocks = received[0]?.body.blocks as Array<{ type: string }>;
    expect(blocks.map((b) => b.type)).toEqual([
      'header',
      'section',
      'section',
      'section',
      'actions',
      'context',
    ]);
    expect(JSON.stringify(received[0]?.body)).not.toContain('<!channel>');
    // A CloudWatch alarm on the topic is never the monitor's (its own are relayed as alerts).
    expect(JSON.stringify(received[1]?.body)).toContain(
      'CloudWatch alarm ScimTokenMonitor-NotRunAlarm is ALARM (not from the SCIM token monitor)',
    );
    expect(JSON.stringify(received[1]?.body)).not.toContain('SCIM token monitor alarm');
  });

  it('posts a forged alert as escaped text, and drops what it cannot read instead of retrying it', async () => {
    const forged = JSON.stringify({
      ...JSON.parse(alertPayload),
      tokenName: '<!channel> urgent',
      consoleUrl: 'https://evil.example/login',
    });
    const received = await withSlack(200, () =>
      handler({
        Records: [...snsEvent(forged).Records, { Sns: { Message: 42 } }, { nope: true }],
      } as never),
    );
    // Only the forged message was posted, as text: no button, no mention.
    expect(received).toHaveLength(1);
    const posted = JSON.stringify(received[0]?.body);
    expect(posted).not.toContain('"type":"button"');
    expect(posted).not.toContain('<!channel>');
    await expect(handler({} as never)).resolves.toBeUndefined();
  });

  it('fails (so Lambda retries) when Slack rejects the message, without leaking the URL', async () => {
    let error: unknown;
    await withSlack(400, async () => {
      error = await handler(snsEvent(alertPayload)).catch((e: Error) => e);
    });
    expect(error).toBeInstanceOf(Error);
    expect((error as Error).message).toBe('Slack rejected the message: HTTP 400');
  });

  it('reports an unreachable webhook by kind of failure only', async () => {
    secrets
      .on(GetSecretValueCommand)
      .resolves({ SecretString: 'https://127.0.0.1:1/services/T/B/very-secret' });
    const error = (await handler(snsEvent(alertPayload)).catch((e: Error) => e)) as Error;
    expect(error.message).toMatch(/^Posting to the Slack webhook failed: \w+$/);
    expect(error.message).not.toContain('very-secret');
  });
});
