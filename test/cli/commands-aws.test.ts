/** The CLI in-process (through `main()`), against mocked SDK clients and a local SCIM endpoint. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParametersByPathCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import 'aws-sdk-client-mock-jest';
import { cfn, cli, paste, scratchRegistry, sns, ssm, useMockedAws } from '../support/cli-in-process';

useMockedAws();

describe('against AWS (mocked SDK clients)', () => {
  it('register writes the registration to SSM without overwriting', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    const r = await cli('register', 'okta-prod', '--created-at', '2026-01-15', '--identity-provider', 'okta');
    expect(r.code).toBe(0);
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/scim-token-monitor/tokens/okta-prod',
      Type: 'String',
      Overwrite: false,
      Value: '{"createdAt":"2026-01-15","identityProvider":"okta"}',
    });
  });

  it('register explains an existing registration', async () => {
    ssm
      .on(PutParameterCommand)
      .rejects(Object.assign(new Error('exists'), { name: 'ParameterAlreadyExists' }));
    const r = await cli('register', 'okta-prod', '--created-at', '2026-01-15');
    expect(r).toMatchObject({
      code: 1,
      stderr: expect.stringContaining(
        'already registered (/scim-token-monitor/tokens/okta-prod); pass --overwrite',
      ),
    });
  });

  // status and remove against state in the ledger: test/cli/bin.test.ts, through the stand-in.

  it("test-alert publishes a marked test alert to the stack's topic", async () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:ScimTokenMonitor-AlertTopic';
    cfn.on(DescribeStacksCommand).resolves({
      Stacks: [
        {
          StackName: 'ScimTokenMonitor',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [{ OutputKey: 'AlertTopicArn', OutputValue: topicArn }],
        },
      ],
    });
    sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    const r = await cli('test-alert');
    expect(r.code).toBe(0);
    expect(sns).toHaveReceivedCommandWith(PublishCommand, {
      TopicArn: topicArn,
      Subject: '[TEST] 123456789012: SCIM token monitor: test alert, no action needed',
      MessageAttributes: expect.objectContaining({ alertType: { DataType: 'String', StringValue: 'test' } }),
    });
    const message = JSON.parse(sns.commandCalls(PublishCommand)[0]?.args[0].input.Message ?? '{}');
    expect(JSON.parse(message.https).content.title).toContain('*TEST*');
  });

  it.each([
    [
      Object.assign(new Error('Could not load credentials from any providers'), {
        name: 'CredentialsProviderError',
      }),
      'CredentialsProviderError: no AWS credentials found',
    ],
    [
      Object.assign(new Error('User is not authorized to perform: ssm:GetParametersByPath'), {
        name: 'AccessDeniedException',
      }),
      'AccessDeniedException: your AWS identity may not call ssm:GetParametersByPath. Allow it',
    ],
    [new Error('Region is missing'), 'No AWS region: set AWS_REGION or pass --region'],
  ])('explains %s in one line, exit 1', async (error, message) => {
    ssm.on(GetParametersByPathCommand).rejects(error);
    const r = await cli('status');
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
});

describe('register --verify, against a local stand-in for the SCIM endpoint', () => {
  const GOOD = 'good-token-1234567890';
  let endpoint: string;
  let seen: string[] = [];
  let server: ReturnType<typeof createServer>;
  /** A port nothing listens on. */
  let closedPort = 0;

  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(`${req.method} ${req.url}`);
      if (!req.url?.endsWith('/scim/v2/ServiceProviderConfig')) return void res.writeHead(404).end();
      res
        .writeHead(req.headers.authorization === `Bearer ${GOOD}` ? 200 : 401, {
          'content-type': 'application/scim+json',
        })
        .end('{}');
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant-123/scim/v2/`;
    const probe = createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    closedPort = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
  });
  afterAll(() => new Promise<void>((r) => server.close(() => r())));
  beforeEach(() => {
    seen = [];
  });

  it('registers when the endpoint accepts the token, which is never printed or stored', async () => {
    const file = scratchRegistry();
    paste(GOOD);
    const r = await cli(
      'register',
      'okta-next',
      '--registry',
      file,
      '--created-at',
      '2026-11-20',
      '--verify',
      '--scim-endpoint',
      endpoint,
    );
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('IAM Identity Center accepted the token.');
    expect(seen).toEqual(['GET /tenant-123/scim/v2/ServiceProviderConfig']);
    expect(r.stdout + r.stderr + readFileSync(file, 'utf8')).not.toContain(GOOD);
  });

  it.each([
    [
      'a wrong or expired token',
      'wrong-token',
      () => endpoint,
      'rejected the token (HTTP 401): it is mistyped, expired or deleted. Nothing was registered.',
    ],
    [
      'a wrong endpoint',
      GOOD,
      () => endpoint.replace('/scim/v2/', '/nope/'),
      'No SCIM endpoint there (HTTP 404)',
    ],
    [
      'an unreachable endpoint',
      GOOD,
      () => `http://127.0.0.1:${closedPort}/t/scim/v2/`,
      '(ECONNREFUSED). Nothing was registered.',
    ],
  ])('refuses %s with its own message, and registers nothing', async (_label, token, url, message) => {
    const file = scratchRegistry();
    const before = readFileSync(file, 'utf8');
    paste(token);
    const r = await cli(
      'register',
      'okta-next',
      '--registry',
      file,
      '--created-at',
      '2026-11-20',
      '--verify',
      '--scim-endpoint',
      url(),
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).not.toContain(token === GOOD ? GOOD : 'wrong-token');
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('stores a verified token as a SecureString in SSM only with --store-token', async () => {
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    paste(GOOD);
    const r = await cli('register', 'okta-next', '--store-token', '--scim-endpoint', endpoint);
    expect(r.code).toBe(0);
    expect(ssm).toHaveReceivedCommandWith(PutParameterCommand, {
      Name: '/scim-token-monitor/tokens/okta-next',
      Type: 'SecureString',
      Value: GOOD,
      Overwrite: false,
    });
    expect(r.stdout).not.toContain(GOOD);
    const file = await cli(
      'register',
      'x',
      '--registry',
      scratchRegistry(),
      '--store-token',
      '--scim-endpoint',
      endpoint,
    );
    expect(file).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--store-token needs the SSM registry'),
    });
  });

  it('never echoes the token when SSM refuses to store it', async () => {
    ssm.on(PutParameterCommand).rejects(
      Object.assign(
        new Error(`1 validation error detected: Value '${GOOD}' at 'value' failed to satisfy constraint`),
        {
          name: 'ValidationException',
        },
      ),
    );
    paste(GOOD);
    const r = await cli('register', 'okta-next', '--store-token', '--scim-endpoint', endpoint);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'storing the token in /scim-token-monitor/tokens/okta-next failed (ValidationException)',
    );
    expect(r.stderr + r.stdout).not.toContain(GOOD);
  });

  it('needs an endpoint and a token', async () => {
    paste(GOOD);
    expect(
      await cli('register', 'x', '--registry', scratchRegistry(), '--created-at', '2026-11-20', '--verify'),
    ).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--verify needs --scim-endpoint'),
    });
    paste('');
    expect(
      await cli(
        'register',
        'x',
        '--registry',
        scratchRegistry(),
        '--created-at',
        '2026-11-20',
        '--verify',
        '--scim-endpoint',
        endpoint,
      ),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('No token on standard input') });
    expect(
      await cli(
        'register',
        'x',
        '--registry',
        scratchRegistry(),
        '--created-at',
        '2026-11-20',
        '--verify',
        '--scim-endpoint',
        'ftp://x/',
      ),
    ).toMatchObject({ code: 2, stderr: expect.stringContaining('must use https') });
  });
});
