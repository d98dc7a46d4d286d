/**
 * The shipped CLI when things go wrong, and the IAM policy it needs: the compiled bin in a child
 * process against the local AWS stand-in, with faults injected where AWS would refuse.
 */

import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { FAKE_LEDGER_TABLE } from '../../tools/fake-aws';
import { bin, ROOT } from '../support/bin';
import { deploy } from '../support/deployment';
import { allows, documentedPolicy } from '../support/iam';
import { aws, env, GOOD_TOKEN, scim, useStandIns } from '../support/stand-ins';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ScimTokenMonitor-AlertTopic';
const GOOD = GOOD_TOKEN;

useStandIns();

describe("the CLI operator's documented IAM policy", () => {
  it('allows every AWS call that every command makes', async () => {
    const fn = 'ScimTokenMonitor-MonitorFunction-1';
    const rule = 'ScimTokenMonitor-MonitorSchedule-1';
    deploy(aws, {
      alertTopicArn: TOPIC,
      functionName: fn,
      scheduleRuleName: rule,
      alarmNames: ['ScimTokenMonitor-NotRunAlarm-1'],
    });
    aws.ops.rules.set(rule, { state: 'ENABLED' });
    // [arguments, standard input, exit code]: doctor finds this bare stand-in unhealthy (exit 1),
    // having made every call it makes.
    const session: Array<[string[], string?, number?]> = [
      [
        ['register', 'okta-prod', '--created-at', '2026-01-15', '--verify', '--scim-endpoint', scim.endpoint],
        GOOD,
      ],
      [
        [
          'register',
          'vault/okta',
          '--store-token',
          '--allow-aws-managed-key',
          '--scim-endpoint',
          scim.endpoint,
        ],
        GOOD,
      ],
      // okta-prod's 60-day alert is due: status says so with exit 1.
      [['status'], undefined, 1],
      // The 30-day alert is due: check says so with exit 1, like status.
      [['check', '--at', '2026-12-16'], undefined, 1],
      [['test-alert']],
      [['doctor', '--json'], undefined, 1],
      [['register', 'okta-prod', '--overwrite', '--created-at', 'today', '--token-id', 'new']],
      [['remove', 'okta-prod']],
    ];
    for (const [args, input, code = 0] of session) {
      expect({ args, code: (await bin(args, { env, ...(input ? { input } : {}) })).code }).toEqual({
        args,
        code,
      });
    }
    const policy = documentedPolicy(path.join(ROOT, 'docs', 'iam-policies.md'), 'cli-operator-policy', {
      region: 'eu-west-1',
      account: '123456789012',
      ledgerTable: FAKE_LEDGER_TABLE,
    });
    const table = (name: unknown) => `arn:aws:dynamodb:eu-west-1:123456789012:table/${String(name)}`;
    const parameter = (name: unknown) => `arn:aws:ssm:eu-west-1:123456789012:parameter${String(name)}`;
    const needed = aws.calls.flatMap(({ action, input }) => {
      switch (action) {
        case 'ssm:GetParametersByPath':
        case 'ssm:GetParameter':
        case 'ssm:PutParameter':
          return [[action, parameter(input.Path ?? input.Name)]];
        case 'ssm:DeleteParameter':
          return [[action, parameter(input.Name)]];
        case 'dynamodb:BatchGetItem':
          return Object.keys(input.RequestItems as object).map((t) => [action, table(t)]);
        case 'dynamodb:Scan':
        case 'dynamodb:DeleteItem':
          return [[action, table(input.TableName)]];
        case 'sns:Publish':
          return [[action, String(input.TopicArn)]];
        case 'sns:ListSubscriptionsByTopic':
          return [[action, String(input.TopicArn)]];
        case 'events:DescribeRule':
          return [[action, `arn:aws:events:eu-west-1:123456789012:rule/${input.Name}`]];
        case 'cloudwatch:DescribeAlarmHistory':
          return [[action, `arn:aws:cloudwatch:eu-west-1:123456789012:alarm:${input.AlarmName}`]];
        default:
          return [[action, '*']];
      }
    }) as Array<[string, string]>;
    expect(new Set(needed.map(([a]) => a))).toEqual(
      new Set([
        'ssm:PutParameter',
        'ssm:GetParameter',
        'ssm:GetParametersByPath',
        'ssm:DeleteParameter',
        'dynamodb:BatchGetItem',
        'dynamodb:Scan',
        'dynamodb:DeleteItem',
        'sso:ListInstances',
        'sns:ListSubscriptionsByTopic',
        'events:DescribeRule',
        'cloudwatch:DescribeAlarmHistory',
        'cloudwatch:GetMetricStatistics',
        'sns:Publish',
      ]),
    );
    expect(needed.filter(([action, resource]) => !allows(policy, action, resource))).toEqual([]);
  });
});

describe('failures: one line, the AWS error code, what to do, and the exit code', () => {
  it('AccessDenied names the IAM action and the resource, exit 1', async () => {
    aws.fault = (call) =>
      call.action === 'ssm:GetParametersByPath'
        ? {
            status: 400,
            code: 'AccessDeniedException',
            message:
              'User: arn:aws:sts::123456789012:assumed-role/Oncall/jane is not authorized to perform: ssm:GetParametersByPath on resource: arn:aws:ssm:eu-west-1:123456789012:parameter/scim-token-monitor/tokens because no identity-based policy allows the ssm:GetParametersByPath action',
          }
        : undefined;
    const r = await bin(['status'], { env });
    expect(r).toMatchObject({
      code: 1,
      stderr:
        "scim-token-monitor: AccessDeniedException: your AWS identity may not call ssm:GetParametersByPath on arn:aws:ssm:eu-west-1:123456789012:parameter/scim-token-monitor/tokens. Allow it (docs/iam-policies.md has the CLI operator's policy) or use a role that has it.\n",
    });
  });

  it('AccessDenied on SNS (query protocol) is explained the same way', async () => {
    aws.fault = (call) =>
      call.action === 'sns:Publish'
        ? {
            status: 403,
            code: 'AuthorizationError',
            message: `User: arn:aws:iam::123456789012:user/jane is not authorized to perform: SNS:Publish on resource: ${TOPIC} because no identity-based policy allows the SNS:Publish action`,
          }
        : undefined;
    const r = await bin(['test-alert', '--topic-arn', TOPIC], { env });
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      `scim-token-monitor: AuthorizationErrorException: your AWS identity may not call SNS:Publish on ${TOPIC}. Allow it (docs/iam-policies.md has the CLI operator's policy) or use a role that has it.\n`,
    );
  });

  it('no credentials: says which variables or profile to set, exit 1', async () => {
    const r = await bin(['status'], {
      env: { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL ?? '' },
    });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^scim-token-monitor: CredentialsProviderError: no AWS credentials found\. Set AWS_PROFILE/,
    );
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('an unknown profile is named as such, exit 2; a known one is used', async () => {
    const home = mkdtempSync(path.join(tmpdir(), 'scim-cli-aws-'));
    mkdirSync(path.join(home, '.aws'));
    writeFileSync(
      path.join(home, '.aws', 'config'),
      '[profile oncall]\nregion = eu-west-1\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = s\n',
    );
    const profileEnv = { HOME: home, AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL ?? '' };
    const nope = await bin(['status', '--profile', 'nope'], { env: profileEnv });
    expect(nope.code).toBe(2);
    expect(nope.stderr).toBe(
      'scim-token-monitor: AWS profile "nope" (from --profile) is not defined in ~/.aws/config or ~/.aws/credentials: `aws configure list-profiles` lists the ones you have.\n',
    );
    const fromEnv = await bin(['status'], { env: { ...profileEnv, AWS_PROFILE: 'nope' } });
    expect(fromEnv.stderr).toContain('(from AWS_PROFILE)');
    const known = await bin(['status', '--profile', 'oncall'], { env: profileEnv });
    expect(known).toMatchObject({ code: 0, stderr: '' });
  });

  it('an unreachable AWS endpoint is a network error, not a stack trace', async () => {
    const r = await bin(['status'], { env: { ...env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } });
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(
      /^scim-token-monitor: ECONNREFUSED: could not reach AWS .*AWS_ENDPOINT_URL, then try again\.\n$/,
    );
  });

  it('--debug adds the stack trace and the whole error', async () => {
    aws.fault = (call) =>
      call.action === 'ssm:GetParametersByPath'
        ? { status: 400, code: 'ValidationException', message: 'bad path' }
        : undefined;
    const plain = await bin(['status'], { env });
    expect(plain).toMatchObject({ code: 1, stderr: 'scim-token-monitor: ValidationException: bad path\n' });
    const debug = await bin(['status', '--debug'], { env });
    expect(debug.code).toBe(1);
    expect(debug.stderr).toContain('scim-token-monitor: ValidationException: bad path\n');
    expect(debug.stderr).toMatch(/\n\s+at /);
    expect(debug.stderr).toContain('$metadata');
  });

  it.each([
    [['frobnicate'], 'unknown command'],
    [['status', '--no-such-flag'], 'unknown option'],
    [['check', '--at', 'next tuesday'], '--at "next tuesday" is not an ISO 8601 date'],
    [['register', 'bad name!', '--created-at', '2026-01-01'], 'is not a valid token name'],
    [['status', '--thresholds', '60,abc'], '--thresholds "60,abc" must be positive whole numbers'],
  ])('%j is bad input: exit 2, %s', async (argv, message) => {
    const r = await bin(argv, { env });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(message);
    expect(aws.calls).toEqual([]);
  });
});

describe('a command line that says nothing', () => {
  it('prints the help on stderr and exits 2, so a script that lost its command fails', async () => {
    const r = await bin([]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(/^Usage: scim-token-monitor /);
    expect((await bin(['--debug'])).code).toBe(2);
    expect((await bin(['--help'])).code).toBe(0);
  });
});

describe('an offline preview', () => {
  it('prints no empty region anywhere: commands get a placeholder, details leave it out', async () => {
    for (const format of ['email', 'chat', 'json']) {
      const r = await bin([
        'check',
        '--registry',
        path.join(ROOT, 'examples', 'registry.json'),
        '--at',
        '2027-01-14T08:00:00Z',
        '--format',
        format,
      ]);
      expect(r.code).toBe(1);
      expect(r.stdout).not.toMatch(/--region ''|--region ""|unknown \/|\/ *$|--region\s+--/m);
      expect(r.stdout).toContain(format === 'json' ? '"alertType"' : '--region ');
    }
    const chat = await bin([
      'check',
      '--registry',
      path.join(ROOT, 'examples', 'registry.json'),
      '--at',
      '2027-01-14T08:00:00Z',
      '--format',
      'chat',
    ]);
    // Exactly what Chatbot and the Slack webhook would receive.
    const [first] = JSON.parse(chat.stdout) as Array<{
      chatbot: { version: string };
      slackWebhook: { blocks: unknown[] };
    }>;
    expect(first?.chatbot.version).toBe('1.0');
    expect(first?.slackWebhook.blocks.length).toBeGreaterThan(3);
    expect((await bin(['check', '--format', 'fax'])).stderr).toBe(
      'scim-token-monitor: --format "fax" is not one of email, chat, json.\n',
    );
  });
});
