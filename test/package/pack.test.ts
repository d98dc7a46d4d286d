/**
 * The package as `npm pack` makes it, installed offline into a fresh project that has only
 * aws-cdk-lib and constructs beside it: the bin works for every command; the monitor and the
 * forwarder synthesize from the package entry, deploying the prebuilt bundles byte for byte; the
 * deployed monitor runs; and the one line docs/governed-organizations.md gives runs cdk-nag and the
 * Control Tower rules over it, the construct carrying the acknowledgement of each finding it accepts.
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { functionBundle, invokeBundle } from '../../tools/bundle';
import { FakeAws } from '../../tools/fake-aws';
import { awsEnv, ROOT, runCommand } from '../support/bin';
import { installConsumer, pack } from '../support/consumer';
import { deploy } from '../support/deployment';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { type ScimStub, startScimStub } from '../support/scim-stub';

let files: string[];
let project: string;
let aws: FakeAws;
let env: Record<string, string>;
let scim: ScimStub;
const NEW_TOKEN = 'new-token-0123456789';

beforeAll(async () => {
  const packed = pack();
  files = packed.files;
  project = installConsumer(packed.tarball);
  aws = new FakeAws();
  scim = await startScimStub(NEW_TOKEN);
  // IAM Identity Center's SCIM host reaches the local stand-in (test/support/scim-route.cjs).
  env = { ...awsEnv(await aws.start()), ...scim.env };
}, 180_000);
afterAll(async () => {
  await aws.stop();
  await scim.close();
});

/**
 * `npx scim-token-monitor …` in the consumer project, offline; npm's own notices (update checks,
 * this machine's npmrc warnings) are npm's, not the CLI's, and are left out.
 */
async function npx(args: string[], opts: { env?: Record<string, string>; input?: string } = {}) {
  const r = await runCommand('npx', ['--offline', 'scim-token-monitor', ...args], {
    cwd: project,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    env: { npm_config_update_notifier: 'false', ...opts.env },
  });
  return { ...r, stderr: r.stderr.replace(/^npm (warn|notice)\b.*\n/gm, '') };
}

/**
 * The bin npm linked into the consumer's node_modules/.bin, run by its shebang: what `npx` runs
 * (shown once above), without npm's half second of start-up per command.
 */
async function installedBin(args: string[], opts: { env?: Record<string, string>; input?: string } = {}) {
  return runCommand(path.join(project, 'node_modules', '.bin', 'scim-token-monitor'), args, {
    cwd: project,
    ...(opts.input !== undefined ? { input: opts.input } : {}),
    ...(opts.env ? { env: opts.env } : {}),
  });
}

describe('the tarball', () => {
  it('holds the compiled package, its licence and docs, and no TypeScript sources or tests', () => {
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'LICENSE',
        'README.md',
        'CHANGELOG.md',
        'dist/cli/main.js',
        'dist/lib/index.js',
        'dist/lib/index.d.ts',
        'dist/assets/monitor/index.js',
        'dist/assets/slack/index.js',
        'dist/assets/alarm-relay/index.js',
        // The forwarder as a plain template, for a management account without CDK.
        'dist/templates/scim-token-health-forwarder.template.json',
        // What the README's offline example reads.
        'examples/registry.json',
      ]),
    );
    expect(files.filter((f) => /\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
    expect(files.filter((f) => /^(test|tools|bench|bin|examples)\//.test(f))).toEqual([
      'examples/registry.json',
    ]);
  });

  it('installs with nothing beside it but aws-cdk-lib and constructs, and no dev dependency', () => {
    const installed = JSON.parse(readFileSync(path.join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(Object.keys(installed.dependencies).sort()).toEqual([
      'aws-cdk-lib',
      'constructs',
      'scim-token-monitor',
    ]);
    for (const dev of [
      'tsx',
      'typescript',
      'jest',
      'ts-jest',
      'cdk-nag',
      'esbuild',
      '@aws-lambda-powertools',
    ]) {
      expect(existsSync(path.join(project, 'node_modules', dev))).toBe(false);
    }
  });
});

describe('scim-token-monitor, from the installed package', () => {
  it('works through npx, offline, against a registry file', async () => {
    copyFileSync(path.join(ROOT, 'examples', 'registry.json'), path.join(project, 'registry.json'));
    const r = await npx(['status', '--registry', 'registry.json', '--at', '2026-11-23']);
    // The example holds an invalid registration: status reports it and exits 1.
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/okta-prod\s+2027-01-15\s+53\s+-\s+60-day 2026-11-23/);
  });

  it('runs every command against AWS (the local stand-in)', async () => {
    // The deployed monitor, as the CLI finds it: the settings the construct publishes in SSM.
    deploy(aws, {
      alertTopicArn: 'arn:aws:sns:eu-west-1:123456789012:alerts',
      functionName: 'monitor',
      tokenKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    });
    const steps: Array<[string[], number]> = [
      [['register', 'okta-prod', '--created-at', '2026-01-15', '--identity-provider', 'okta'], 0],
      // The token read from standard input, checked against IAM Identity Center, then stored.
      [['register', 'vault/okta', '--store-token', '--scim-endpoint', scim.endpoint], 0],
      // okta-prod's 60-day alert is due: status exits 1 after its report.
      [['status', '--json'], 1],
      [['check', '--at', '2026-12-16'], 1],
      [['test-alert'], 0],
      // A bare stand-in is no healthy deployment: doctor says so (exit 1) after every check.
      [['doctor'], 1],
      [['remove', 'okta-prod'], 0],
      [['remove', 'okta-prod'], 1],
      [['remove', 'vault/okta'], 0],
    ];
    for (const [args, code] of steps) {
      const r = await installedBin(args, { env, input: NEW_TOKEN });
      expect({ args, code: r.code, stderr: r.stderr }).toEqual({
        args,
        code,
        // Storing a token names where SSM requests go (here the stand-in, an endpoint override).
        stderr:
          code === 0 && !args.includes('--store-token') ? '' : expect.stringMatching(/^scim-token-monitor: /),
      });
    }
    expect(aws.count('ssm:PutParameter')).toBe(2);
    expect(scim.seen).toEqual(['GET /tenant-123/scim/v2/ServiceProviderConfig']);
    expect(aws.published.map((p) => p.subject)).toEqual([
      '[TEST] 123456789012: SCIM token monitor: test alert, no action needed',
    ]);
    expect([...aws.parameters.keys()].filter((k) => k.startsWith(MONITOR_ENV.PARAMETER_PREFIX))).toEqual([]);
  });
});

describe("require('scim-token-monitor') in a CDK app", () => {
  it('synthesizes the monitor and the forwarder from the package entry, deploying the tested bundles byte for byte', async () => {
    writeFileSync(
      path.join(project, 'app.js'),
      `const { App, Stack } = require('aws-cdk-lib');
const { ScimTokenExpiryMonitor, ScimTokenHealthForwarder } = require('scim-token-monitor');
const app = new App({ outdir: 'cdk.out' });
const stack = new Stack(app, 'Consumer');
new ScimTokenExpiryMonitor(stack, 'Monitor', {
  alertEmails: ['oncall@example.com'],
  slackWebhook: { secretName: 'slack/webhook' },
});
const org = new Stack(app, 'Organization');
new ScimTokenHealthForwarder(org, 'Forwarder', { targetBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/default' });
const assembly = app.synth();
const code = (name) => Object.entries(assembly.getStackByName(name).template.Resources)
  .filter(([, r]) => r.Type === 'AWS::Lambda::Function' && r.Properties.Handler === 'index.handler')
  .map(([id, r]) => [id, r.Properties.Code.S3Key.replace(/\\.zip$/, '')]);
const rules = Object.values(assembly.getStackByName('Organization').template.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
process.stdout.write(JSON.stringify({ functions: code('Consumer'), forwarderRules: rules.length }));
`,
    );
    const synthesized = JSON.parse(
      execFileSync(process.execPath, ['app.js'], {
        cwd: project,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }),
    ) as { functions: Array<[string, string]>; forwarderRules: number };
    // No bundler in the consumer's project: the package's functions come prebuilt.
    expect(existsSync(path.join(project, 'node_modules', 'esbuild'))).toBe(false);
    // The notices, and its dead-letter alarm's changes.
    expect(synthesized.forwarderRules).toBe(2);
    const installed = path.join(project, 'node_modules', 'scim-token-monitor', 'dist', 'assets');
    const deployed = (pattern: RegExp) => {
      const hash = synthesized.functions.find(([id]) => pattern.test(id))?.[1];
      return readFileSync(path.join(project, 'cdk.out', `asset.${hash}`, 'index.js'));
    };
    // The monitor, the alarm relay and the Slack forwarder: each the tarball's file, byte for byte,
    // which is the file the end-to-end tests run (dist/assets, npm pack's copy of it).
    for (const [name, pattern] of [
      ['monitor', /^MonitorFunction[0-9A-F]{8}$/],
      ['alarm-relay', /AlarmRelayFunction/],
      ['slack', /SlackForwarder[0-9A-F]{8}$/],
    ] as const) {
      const shipped = readFileSync(path.join(installed, name, 'index.js'));
      expect(deployed(pattern).equals(shipped)).toBe(true);
      expect(shipped.equals(readFileSync(functionBundle(name)))).toBe(true);
    }

    aws.put(
      `${MONITOR_ENV.PARAMETER_PREFIX}okta-prod`,
      '{"createdAt":"2026-01-15","identityProvider":"okta"}',
    );
    const monitor = path.join(
      project,
      'cdk.out',
      `asset.${synthesized.functions.find(([id]) => /^MonitorFunction[0-9A-F]{8}$/.test(id))?.[1]}`,
      'index.js',
    );
    const { results } = await invokeBundle(monitor, [scheduledEvent('2026-11-16T08:00:00Z')], {
      ...MONITOR_ENV,
      AWS_ENDPOINT_URL: env.AWS_ENDPOINT_URL ?? '',
    });
    expect(results[0]).toMatchObject({ ok: true, result: { tokensMonitored: 1, alertsSent: 1 } });
    expect(aws.published.at(-1)?.subject).toBe(
      '[INFO] 123456789012: SCIM token okta-prod expires in 60 days (2027-01-15 00:00 UTC)',
    );
  });
});

/** The documented line, as the docs give it. */
function documentedLine(): string {
  const doc = readFileSync(path.join(ROOT, 'docs', 'governed-organizations.md'), 'utf8');
  const line = /<!-- governed-checks -->\n```js\n(.+)\n```/.exec(doc)?.[1];
  if (!line) throw new Error('docs/governed-organizations.md: no governed-checks snippet');
  return line;
}

interface Report {
  pluginReports: Array<{
    pluginName: string;
    violations: Array<{
      ruleName: string;
      violatingConstructs: Array<{ constructPath: string }>;
    }>;
  }>;
}

describe('governed checks in a CDK app that uses the package', () => {
  it('run cdk-nag and the Control Tower rules with the documented line: only the VPC control is left to the deployer', () => {
    // cdk-nag and the cfn-guard validator at this repository's pinned versions, linked in (their
    // only dependencies are aws-cdk-lib and constructs, which --preserve-symlinks resolves to the
    // consumer's own copies, as an install would).
    for (const dev of ['cdk-nag', '@cdklabs/cdk-validator-cfnguard']) {
      const target = path.join(project, 'node_modules', dev);
      mkdirSync(path.dirname(target), { recursive: true });
      symlinkSync(path.join(ROOT, 'node_modules', dev), target, 'dir');
    }
    const line = documentedLine();
    expect(line).toBe(
      'Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator());',
    );
    writeFileSync(
      path.join(project, 'governed.js'),
      `const { App, Stack, Validations } = require('aws-cdk-lib');
const sns = require('aws-cdk-lib/aws-sns');
const { AwsSolutionsChecks } = require('cdk-nag');
const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard');
const { ScimTokenExpiryMonitor } = require('scim-token-monitor');
const app = new App({ outdir: 'governed.out' });
const stack = new Stack(app, 'Governed');
new ScimTokenExpiryMonitor(stack, 'Monitor', { alertEmails: ['oncall@example.com'] });
// The checks' negative control: a topic with neither encryption nor TLS enforced.
new sns.CfnTopic(stack, 'Plain', {});
${line}
app.synth();
`,
    );
    let failed: { status: number } | undefined;
    try {
      execFileSync(process.execPath, ['--preserve-symlinks', 'governed.js'], {
        cwd: project,
        stdio: 'ignore',
      });
    } catch (error) {
      failed = error as { status: number };
    }
    // Findings fail the synth, as they would fail the consumer's `cdk synth`.
    expect(failed?.status).toBe(1);
    const report = JSON.parse(
      readFileSync(path.join(project, 'governed.out', 'validation-report.json'), 'utf8'),
    ) as Report;
    const found = report.pluginReports
      .flatMap((p) =>
        p.violations.flatMap((v) =>
          v.violatingConstructs.map((c) => `${p.pluginName} ${v.ruleName} ${c.constructPath}`),
        ),
      )
      .sort();
    expect(found).toEqual([
      // cdk-nag ran: it finds the control's topic without TLS enforced.
      'AwsSolutions AwsSolutions-SNS3 Governed/Plain',
      // Over the monitor, nothing but CT.LAMBDA.PR.3, which VPC placement answers.
      'cdk-validator-cfnguard lambda_inside_vpc_check Governed/Monitor/Monitor/Function/Resource',
      'cdk-validator-cfnguard lambda_inside_vpc_check Governed/Monitor/SelfMonitoring/AlarmRelay/Function/Resource',
    ]);
  });
});
