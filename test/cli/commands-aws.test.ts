/** The CLI in-process (through `main()`), against mocked SDK clients and a local SCIM endpoint. */
import { readFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { PublishCommand } from '@aws-sdk/client-sns';
import { GetParametersByPathCommand, PutParameterCommand } from '@aws-sdk/client-ssm';
import 'aws-sdk-client-mock-jest';
import { cli, paste, scratchRegistry, sns, ssm, useMockedAws } from '../support/cli-in-process';
import { settings } from '../support/deployment';
import { type ScimStub, startScimStub } from '../support/scim-stub';

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

  it("test-alert publishes a marked test alert to the deployment's topic", async () => {
    const topicArn = 'arn:aws:sns:eu-west-1:123456789012:ScimTokenMonitor-AlertTopic';
    ssm.on(GetParametersByPathCommand, { Path: '/scim-token-monitor/deployments' }).resolves({
      Parameters: [
        {
          Name: '/scim-token-monitor/deployments/ScimTokenMonitor/Monitor',
          Type: 'String',
          Value: JSON.stringify(settings({ alertTopicArn: topicArn })),
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

/** No monitor deployed in this region (so --store-token has no token key of its own), as SSM says it. */
function noStack(): void {
  ssm
    .on(GetParametersByPathCommand, { Path: '/scim-token-monitor/deployments' })
    .resolves({ Parameters: [] });
}

/** An origin nothing listens on. */
async function closedOrigin(): Promise<string> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((r) => server.close(() => r()));
  return `http://127.0.0.1:${port}`;
}

describe('register --verify, against a local stand-in for the SCIM endpoint', () => {
  const GOOD = 'good-token-1234567890';
  let scim: ScimStub;
  let endpoint: string;
  let unroute: () => void;
  const seen = () => scim.seen;
  /** `register <name> --verify --scim-endpoint <url>` into a registry file (a new one by default). */
  const registerVerified = (url: string, name = 'x', file = scratchRegistry()) =>
    cli(
      'register',
      name,
      '--registry',
      file,
      '--created-at',
      '2026-11-20',
      '--verify',
      '--scim-endpoint',
      url,
    );

  beforeAll(async () => {
    scim = await startScimStub(GOOD);
    endpoint = scim.endpoint;
    unroute = scim.route();
  });
  afterAll(async () => {
    unroute();
    await scim.close();
  });
  beforeEach(() => {
    scim.seen.length = 0;
    scim.hosts.length = 0;
    scim.answer = undefined;
  });

  it('registers when the endpoint accepts the token, which is never printed or stored', async () => {
    const file = scratchRegistry();
    paste(GOOD);
    const r = await registerVerified(endpoint, 'okta-next', file);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('IAM Identity Center accepted the token.');
    expect(seen()).toEqual(['GET /tenant-123/scim/v2/ServiceProviderConfig']);
    expect(scim.hosts).toEqual(['scim.us-east-1.amazonaws.com']);
    expect(r.stdout + r.stderr + readFileSync(file, 'utf8')).not.toContain(GOOD);
  });

  it.each<[string, string, (res: ServerResponse) => void, string]>([
    [
      'a wrong or expired token (or a wrong tenant)',
      'wrong-token',
      () => undefined,
      'rejected the token (HTTP 401): it is mistyped, expired or deleted, or the tenant ID in the endpoint is not this instance',
    ],
    ['a wrong path', GOOD, (res) => void res.writeHead(404).end(), 'No SCIM endpoint there (HTTP 404)'],
    [
      'a redirect, which is not followed',
      GOOD,
      (res) => void res.writeHead(302, { location: 'https://evil.example/collect' }).end(),
      'The SCIM endpoint redirected (HTTP 302)',
    ],
    [
      'a 200 that is not a SCIM ServiceProviderConfig',
      GOOD,
      (res) => void res.writeHead(200, { 'content-type': 'text/html' }).end('<html>welcome</html>'),
      'answered HTTP 200 without a SCIM ServiceProviderConfig',
    ],
    [
      'throttling, which says nothing about the token',
      GOOD,
      (res) => void res.writeHead(429, { 'retry-after': '30' }).end(),
      'could not answer now (HTTP 429, retry after 30): try again later',
    ],
    ['a server error', GOOD, (res) => void res.writeHead(503).end(), 'could not answer now (HTTP 503)'],
  ])('refuses %s with its own message, and registers nothing', async (_label, token, answer, message) => {
    if (token === GOOD) {
      scim.answer = (_req, res) => {
        answer(res);
        return true;
      };
    }
    const file = scratchRegistry();
    const before = readFileSync(file, 'utf8');
    paste(token);
    const r = await registerVerified(endpoint, 'okta-next', file);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(message);
    expect(r.stderr).toContain('Nothing was registered.');
    expect(r.stderr).not.toContain(token);
    expect(seen()).toEqual(['GET /tenant-123/scim/v2/ServiceProviderConfig']);
    expect(readFileSync(file, 'utf8')).toBe(before);
  });

  it('reports an unreachable endpoint without the token', async () => {
    unroute();
    const { routeScimTo } = await import('../support/scim-stub');
    const undo = routeScimTo(await closedOrigin());
    try {
      paste(GOOD);
      const r = await registerVerified(endpoint);
      expect(r).toMatchObject({
        code: 1,
        stderr: expect.stringContaining('(ECONNREFUSED). Nothing was registered.'),
      });
    } finally {
      undo();
      unroute = scim.route();
    }
  });

  it.each([
    [
      'a look-alike host with a user-info part',
      'https://scim.us-east-1.amazonaws.com@evil.example/t/scim/v2/',
      'has a user-info part',
    ],
    [
      'another host',
      'https://scim.us-east-1.amazonaws.com.evil.example/t/scim/v2/',
      "not IAM Identity Center's SCIM host",
    ],
    [
      'a host under amazonaws.com that is not SCIM',
      'https://evil.s3.amazonaws.com/t/scim/v2/',
      "not IAM Identity Center's SCIM host",
    ],
    ['plain http', 'http://scim.us-east-1.amazonaws.com/t/scim/v2/', 'uses http, not https'],
    ['another port', 'https://scim.us-east-1.amazonaws.com:8443/t/scim/v2/', 'names a port (8443)'],
    ['a query', 'https://scim.us-east-1.amazonaws.com/t/scim/v2/?next=https://evil.example', 'has a query'],
    [
      'another path',
      'https://scim.us-east-1.amazonaws.com/t/other/',
      'does not have the /<tenant>/scim/v2/ path',
    ],
    ['not a URL', 'scim endpoint', 'is not a URL'],
  ])('refuses %s before the token is read or sent', async (_label, url, message) => {
    paste(GOOD);
    const r = await registerVerified(url);
    expect(r).toMatchObject({ code: 2, stderr: expect.stringContaining(message) });
    expect(r.stdout).not.toContain('Paste the new SCIM access token');
    expect(seen()).toEqual([]);
  });

  it('accepts the China partition and GovCloud hosts', async () => {
    for (const url of [
      'https://scim.cn-north-1.amazonaws.com.cn/tenant-123/scim/v2',
      'https://scim.us-gov-west-1.amazonaws.com/tenant-123/scim/v2/',
    ]) {
      paste(GOOD);
      const r = await registerVerified(url);
      expect(r.code).toBe(0);
    }
    expect(scim.hosts).toEqual(['scim.cn-north-1.amazonaws.com.cn', 'scim.us-gov-west-1.amazonaws.com']);
  });

  it('stores a verified token as a SecureString in SSM only with --store-token', async () => {
    noStack();
    ssm.on(PutParameterCommand).resolves({ Version: 1 });
    paste(GOOD);
    const r = await cli(
      'register',
      'okta-next',
      '--store-token',
      '--allow-aws-managed-key',
      '--scim-endpoint',
      endpoint,
    );
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
    noStack();
    ssm.on(PutParameterCommand).rejects(
      Object.assign(
        new Error(`1 validation error detected: Value '${GOOD}' at 'value' failed to satisfy constraint`),
        {
          name: 'ValidationException',
        },
      ),
    );
    paste(GOOD);
    const r = await cli(
      'register',
      'okta-next',
      '--store-token',
      '--allow-aws-managed-key',
      '--scim-endpoint',
      endpoint,
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain(
      'storing the token in /scim-token-monitor/tokens/okta-next failed (ValidationException)',
    );
    expect(r.stderr + r.stdout).not.toContain(GOOD);
  });

  it('needs an explicit endpoint (never one from the environment) and a token', async () => {
    paste(GOOD);
    process.env.SCIM_ENDPOINT = endpoint;
    try {
      expect(
        await cli('register', 'x', '--registry', scratchRegistry(), '--created-at', '2026-11-20', '--verify'),
      ).toMatchObject({
        code: 2,
        stderr: expect.stringContaining('--verify needs --scim-endpoint'),
      });
    } finally {
      delete process.env.SCIM_ENDPOINT;
    }
    expect(seen()).toEqual([]);
    paste('');
    expect(await registerVerified(endpoint)).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('No token on standard input'),
    });
  });
});
