import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import {
  GetParametersByPathCommand,
  GetParametersCommand,
  type Parameter,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { MONITOR_ENV, scheduledEvent } from '../support/env';

import 'aws-sdk-client-mock-jest';
import { handler as anyHandler, evaluationInstant, type RunSummary } from '../../lambda/monitor/handler';

/** Scheduled events get a run summary back. */
const handler = (event: Parameters<typeof anyHandler>[0]) => anyHandler(event) as Promise<RunSummary>;

// The handler reads its configuration on the first invocation, as Lambda would.
Object.assign(process.env, MONITOR_ENV);

const ssm = mockClient(SSMClient);
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
const sso = mockClient(SSOAdminClient);

const prefix = MONITOR_ENV.REGISTRY_PREFIX;
const instance = {
  InstanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
  IdentityStoreId: 'd-1234567890',
};

function stringParam(name: string, value: string, version = 1): Parameter {
  return { Name: `${prefix}${name}`, Type: 'String', Value: value, Version: version };
}

/** Serves the registry in SSM's pages of at most ten, following NextToken. */
function serveRegistry(params: Parameter[]) {
  ssm.on(GetParametersByPathCommand).callsFake((input: { NextToken?: string; MaxResults?: number }) => {
    expect(input.MaxResults).toBeLessThanOrEqual(10);
    const start = Number(input.NextToken ?? 0);
    const end = start + 10;
    return {
      Parameters: params.slice(start, end),
      ...(end < params.length ? { NextToken: String(end) } : {}),
    };
  });
}

/** Serves stored state from a map, as GetParameters does (missing names are simply absent). */
function serveState(state: Record<string, unknown>) {
  ssm.on(GetParametersCommand).callsFake((input: { Names: string[] }) => {
    expect(input.Names.length).toBeLessThanOrEqual(10);
    return {
      Parameters: input.Names.filter((n) => n in state).map((n) => ({
        Name: n,
        Type: 'String',
        Value: JSON.stringify(state[n]),
      })),
      InvalidParameters: input.Names.filter((n) => !(n in state)),
    };
  });
}

function published() {
  return sns.commandCalls(PublishCommand).map((c) => c.args[0].input);
}

beforeEach(() => {
  ssm.reset();
  sns.reset();
  events.reset();
  sso.reset();
  serveRegistry([]);
  serveState({});
  ssm.on(PutParameterCommand).resolves({ Version: 1 });
  sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
  events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map(() => ({ EventId: 'e' })),
  }));
  sso.on(ListInstancesCommand).resolves({ Instances: [instance] });
});

describe('evaluationInstant', () => {
  it('uses the scheduled event time, so a retried event decides the same', () => {
    expect(evaluationInstant(scheduledEvent('2026-11-16T08:00:00Z'), () => new Date(0)).toISOString()).toBe(
      '2026-11-16T08:00:00.000Z',
    );
  });
  it('falls back to the clock without a usable time', () => {
    expect(evaluationInstant({ time: 'yesterday' }, () => new Date(0)).getTime()).toBe(0);
    expect(evaluationInstant(undefined, () => new Date(5)).getTime()).toBe(5);
  });
});

describe('handler', () => {
  it('reads a registry of 25 tokens across three pages, decrypting nothing', async () => {
    // Prepare
    serveRegistry(Array.from({ length: 25 }, (_, i) => stringParam(`t${i}`, '2026-06-01')));
    // Act
    const summary = await handler(scheduledEvent('2026-11-23T08:00:00Z'));
    // Assess
    expect(summary.tokensMonitored).toBe(25);
    expect(ssm).toHaveReceivedCommandTimes(GetParametersByPathCommand, 3);
    expect(ssm).toHaveReceivedCommandWith(GetParametersByPathCommand, {
      Path: '/scim-token-monitor/tokens',
      Recursive: true,
      WithDecryption: false,
    });
  });

  it('makes no write, no publish and no event when nothing is due', async () => {
    serveRegistry([
      stringParam('okta-prod', '2026-06-01'),
      stringParam('entra', '{"createdAt":"2026-05-01"}'),
    ]);
    const summary = await handler(scheduledEvent('2026-11-23T08:00:00Z'));
    expect(summary).toMatchObject({ tokensMonitored: 2, alertsSent: 0, failures: 0 });
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(events).not.toHaveReceivedCommand(PutEventsCommand);
    // Nobody is near a threshold: IAM Identity Center is not even asked.
    expect(sso).not.toHaveReceivedCommand(ListInstancesCommand);
  });

  it('publishes a due alert with JSON structure and filterable attributes, then records it', async () => {
    serveRegistry([
      stringParam('okta-prod', '{"createdAt":"2026-01-15","tokenId":"tok-1","identityProvider":"okta"}', 4),
    ]);
    await handler(scheduledEvent('2027-01-08T08:00:00Z'));

    const [input] = published();
    expect(input).toMatchObject({
      TopicArn: MONITOR_ENV.ALERT_TOPIC_ARN,
      Subject: '[CRITICAL] SCIM token okta-prod expires in 7 days (2027-01-15)',
      MessageStructure: 'json',
      MessageAttributes: {
        alertType: { DataType: 'String', StringValue: 'expiry-warning' },
        severity: { DataType: 'String', StringValue: 'critical' },
        tokenName: { DataType: 'String', StringValue: 'okta-prod' },
        daysRemaining: { DataType: 'Number', StringValue: '7' },
        threshold: { DataType: 'Number', StringValue: '7' },
      },
    });
    const message = JSON.parse(input?.Message ?? '{}');
    expect(message.email).toContain('Provisioning > Integration > Edit');
    expect(message.default).toBe(message.email);
    // Chatbot (Slack, Teams) subscribes over HTTPS and renders only its custom format.
    expect(JSON.parse(message.https)).toMatchObject({
      version: '1.0',
      source: 'custom',
      content: { textType: 'client-markdown' },
    });
    expect(JSON.parse(message.sqs)).toMatchObject({
      tokenName: 'okta-prod',
      daysRemaining: 7,
      instance: { identityStoreId: 'd-1234567890' },
    });

    expect(events).toHaveReceivedCommandWith(PutEventsCommand, {
      Entries: [
        expect.objectContaining({
          Source: 'scim-token-monitor',
          DetailType: 'SCIM Token Expiry Alert',
          EventBusName: 'default',
        }),
      ],
    });
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/scim-token-monitor/state/tokens/okta-prod',
      Type: 'String',
      Overwrite: true,
      Value: JSON.stringify({
        expiresAt: '2027-01-15T00:00:00.000Z',
        alertedThresholds: [60, 30, 7],
        expiredAlerted: false,
      }),
    });
  });

  it('sends one alert for the most urgent threshold after missed runs', async () => {
    serveRegistry([stringParam('okta-prod', '2026-01-15')]);
    await handler(scheduledEvent('2027-01-10T08:00:00Z'));
    expect(published().map((p) => p.Subject)).toEqual([
      '[CRITICAL] SCIM token okta-prod expires in 5 days (2027-01-15)',
    ]);
  });

  it('does not repeat an alert already recorded in state', async () => {
    serveRegistry([stringParam('okta-prod', '2026-01-15')]);
    serveState({
      '/scim-token-monitor/state/tokens/okta-prod': {
        expiresAt: '2027-01-15T00:00:00.000Z',
        alertedThresholds: [60],
        expiredAlerted: false,
      },
    });
    await handler(scheduledEvent('2026-11-20T08:00:00Z'));
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });

  it('dates a SecureString by its metadata without ever asking for its value', async () => {
    serveRegistry([
      {
        Name: `${prefix}okta-secure`,
        Type: 'SecureString',
        Value: 'AQICAH-ciphertext',
        Version: 2,
        LastModifiedDate: new Date('2026-01-15T09:00:00Z'),
      },
    ]);
    await handler(scheduledEvent('2026-11-16T08:00:00Z'));
    expect(published()[0]?.Subject).toBe('[INFO] SCIM token okta-secure expires in 60 days (2027-01-15)');
    const calls = ssm.calls().map((c) => c.args[0].input as { WithDecryption?: boolean });
    expect(calls.every((i) => i.WithDecryption !== true)).toBe(true);
    expect(published()[0]?.Message).not.toContain('ciphertext');
  });

  it('reports an invalid registration and still alerts for the valid ones', async () => {
    serveRegistry([
      stringParam('broken', '{"createdAt":"2026-02-30"}', 3),
      stringParam('okta-prod', '2026-01-15'),
    ]);
    await handler(scheduledEvent('2026-11-16T08:00:00Z'));
    expect(published().map((p) => p.MessageAttributes?.alertType?.StringValue)).toEqual([
      'invalid-registration',
      'expiry-warning',
    ]);
    expect(published()[0]?.Subject).toBe(
      '[WARNING] SCIM token registration broken is invalid: not monitored',
    );
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/scim-token-monitor/state/tokens/broken',
      Value: JSON.stringify({ alertedThresholds: [], expiredAlerted: false, invalidVersion: 3 }),
    });
  });

  it('keeps going when one publish fails, then fails the run so Lambda retries and alarms fire', async () => {
    serveRegistry([
      stringParam('a', '2026-01-15'),
      stringParam('b', '2026-01-15'),
      stringParam('c', '2026-01-15'),
    ]);
    sns
      .on(PublishCommand)
      .resolvesOnce({ MessageId: '1' })
      .rejectsOnce(
        Object.assign(new Error('Internal error'), { name: 'InternalErrorException', $retryable: undefined }),
      )
      .resolves({ MessageId: '3' });
    await expect(handler(scheduledEvent('2026-11-16T08:00:00Z'))).rejects.toThrow(
      /1 delivery step\(s\) failed; first: publishing the expiry-warning alert for b failed/,
    );
    // a and c were sent and recorded; b was not recorded, so the retry sends it (and only it).
    const written = ssm.commandCalls(PutParameterCommand).map((c) => c.args[0].input.Name);
    expect(written).toEqual(['/scim-token-monitor/state/tokens/a', '/scim-token-monitor/state/tokens/c']);
  });

  it('still publishes when EventBridge is down, and reports it', async () => {
    serveRegistry([stringParam('okta-prod', '2026-01-15')]);
    events.on(PutEventsCommand).rejects(new Error('AccessDenied'));
    await expect(handler(scheduledEvent('2026-11-16T08:00:00Z'))).rejects.toThrow(/PutEvents failed/);
    expect(sns).toHaveReceivedCommandTimes(PublishCommand, 1);
    expect(ssm).toHaveReceivedCommandTimes(PutParameterCommand, 1);
  });

  it('carries on without instance details when ListInstances is denied', async () => {
    serveRegistry([
      stringParam(
        'okta-prod',
        '{"createdAt":"2026-01-15","instanceArn":"arn:aws:sso:::instance/ssoins-9999999999999999"}',
      ),
    ]);
    sso
      .on(ListInstancesCommand)
      .rejects(Object.assign(new Error('not authorized'), { name: 'AccessDeniedException' }));
    const summary = await handler(scheduledEvent('2026-11-16T08:00:00Z'));
    expect(summary).toMatchObject({ alertsSent: 1, invalidRegistrations: 0 });
    expect(JSON.parse(JSON.parse(published()[0]?.Message ?? '{}').sqs).instance).toBeNull();
  });

  it('flags a registration naming an instance that does not exist', async () => {
    serveRegistry([
      stringParam(
        'okta-prod',
        '{"createdAt":"2026-06-01","instanceArn":"arn:aws:sso:::instance/ssoins-9999999999999999"}',
      ),
    ]);
    const summary = await handler(scheduledEvent('2026-11-23T08:00:00Z'));
    expect(summary.invalidRegistrations).toBe(1);
    expect(JSON.parse(published()[0]?.Message ?? '{}').email).toContain(
      'matches no IAM Identity Center instance',
    );
  });

  it('batches EventBridge copies ten to a call', async () => {
    serveRegistry(Array.from({ length: 23 }, (_, i) => stringParam(`t${i}`, '2026-01-15')));
    const summary = await handler(scheduledEvent('2026-11-16T08:00:00Z'));
    expect(summary.alertsSent).toBe(23);
    expect(events.commandCalls(PutEventsCommand).map((c) => c.args[0].input.Entries?.length)).toEqual([
      10, 10, 3,
    ]);
    // Their state is read in batches of ten too (plus the monitor's own state parameter).
    expect(ssm).toHaveReceivedCommandTimes(GetParametersCommand, 3);
  });

  it('reports hostile registrations as invalid without crashing, and keeps them out of the subject line', async () => {
    serveRegistry([
      stringParam('huge', `{"createdAt":"2026-01-15","notes":"${'A'.repeat(100_000)}"}`),
      stringParam(
        'controls',
        JSON.stringify({ createdAt: '2026-01-15', owner: 'x\u0000\u001b[31m\r\nSubject: pwned' }),
      ),
      stringParam('raw-controls', '{"createdAt":"2026-01-15","owner":"a\u0000b"}'),
      stringParam('emoji', '{"createdAt":"2026-01-15","notes":"🔥🔑","owner":"<!channel> @here"}'),
      stringParam('types', '{"createdAt":["2026-01-15"],"validityDays":"365"}'),
      stringParam('y10k', '{"createdAt":"10000-01-01"}'),
      stringParam('feb30', '2026-02-30'),
    ]);
    const summary = await handler(scheduledEvent('2026-11-16T08:00:00Z'));
    expect(summary).toMatchObject({ tokensMonitored: 2, invalidRegistrations: 5, failures: 0 });
    for (const p of published()) {
      expect(p.Subject?.length).toBeLessThan(100);
      expect(p.Subject).toMatch(/^[\x20-\x7e]+$/);
      expect(p.Subject).not.toMatch(/pwned|channel|🔥/);
      expect(Buffer.byteLength(p.Message ?? '')).toBeLessThan(64 * 1024);
    }
    const controls = JSON.parse(published().find((p) => p.Subject?.includes('controls'))?.Message ?? '{}');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(controls.email).not.toMatch(/[\u0000\u001b\r]/);
  });

  it('warns once when nothing is registered', async () => {
    await handler(scheduledEvent('2026-11-23T08:00:00Z'));
    expect(published()[0]?.Subject).toBe(
      '[WARNING] SCIM token monitor: no tokens registered, nothing is monitored',
    );
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/scim-token-monitor/state/monitor',
      Value: '{"noTokensAlerted":true}',
    });

    sns.resetHistory();
    ssm.resetHistory();
    serveState({ '/scim-token-monitor/state/monitor': { noTokensAlerted: true } });
    await handler(scheduledEvent('2026-11-24T08:00:00Z'));
    expect(sns).not.toHaveReceivedCommand(PublishCommand);
    expect(ssm).not.toHaveReceivedCommand(PutParameterCommand);
  });
});
