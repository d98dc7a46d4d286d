/**
 * Organization topology, as `cdk synth` makes it (the real CDK CLI, with cdk-nag and AWS Control
 * Tower's rules failing synth on any finding): the `ScimTokenHealthForwarder` stack for the
 * account that owns IAM Identity Center, and the bus policy on the monitor's side; the forwarded
 * event's path through both is evaluated with iam-simulate.
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { runSimulation } from '@cloud-copilot/iam-simulate';
import { runCommand } from '../support/bin';
import { servicePaths } from '../support/paths';
import { resolveTemplateValue } from '../support/resolve';
import { synthStack } from '../support/stack';

const MANAGEMENT = '111111111111';
const MONITORING = '222222222222';
const REGION = 'eu-west-1';
const BUS = `arn:aws:events:${REGION}:${MONITORING}:event-bus/default`;

type Template = { Resources: Record<string, { Type: string; Properties?: Record<string, unknown> }> };
let forwarder: Template;
let monitor: Template;

beforeAll(async () => {
  const out = mkdtempSync(path.join(tmpdir(), 'scim-topology-'));
  const r = await runCommand(
    'npx',
    [
      'cdk',
      'synth',
      '--quiet',
      '--no-notices',
      '--output',
      out,
      '-c',
      `healthSourceAccounts=${MANAGEMENT}`,
      '-c',
      `healthForwarderTargetBus=${BUS}`,
    ],
    { env: { HOME: process.env.HOME ?? '', CDK_DISABLE_CLI_TELEMETRY: 'true', AWS_REGION: REGION } },
  );
  // Synth fails on any cdk-nag or Control Tower finding: exit 0 means both stacks are clean.
  expect(r.stderr).not.toMatch(/ERROR/);
  expect(r.code).toBe(0);
  forwarder = JSON.parse(readFileSync(path.join(out, 'ScimTokenHealthForwarder.template.json'), 'utf8'));
  monitor = JSON.parse(readFileSync(path.join(out, 'ScimTokenMonitor.template.json'), 'utf8'));
}, 180_000);

const ofType = (t: Template, type: string) => Object.values(t.Resources).filter((r) => r.Type === type);

describe('ScimTokenHealthForwarder', () => {
  it("forwards exactly AWS Health's SCIM token notices to the monitor's bus, failures kept", () => {
    const [rule] = ofType(forwarder, 'AWS::Events::Rule');
    expect(rule?.Properties).toMatchObject({
      EventPattern: {
        source: ['aws.health'],
        'detail-type': ['AWS Health Event'],
        detail: { eventTypeCode: ['AWS_IAMIDENTITYCENTER_SCIM_BEARER_TOKEN_EXPIRY_NOTIFICATION'] },
      },
      Targets: [
        expect.objectContaining({
          Arn: BUS,
          RoleArn: expect.anything(),
          DeadLetterConfig: expect.anything(),
        }),
      ],
    });
    // The path EventBridge takes: it assumes the rule's role, which may put events on that bus only.
    const policies = ofType(forwarder, 'AWS::IAM::Policy').flatMap(
      (p) => (p.Properties?.PolicyDocument as { Statement?: unknown[] } | undefined)?.Statement ?? [],
    );
    expect(policies).toEqual([{ Action: 'events:PutEvents', Effect: 'Allow', Resource: BUS }]);
    expect(servicePaths(forwarder as never).every((p) => p.allowedBy !== undefined)).toBe(true);
  });
});

describe('the monitor side', () => {
  const resolve = (v: unknown) =>
    resolveTemplateValue(v, {
      account: MONITORING,
      region: REGION,
      getAtt: (id) => `arn:aws:x:${REGION}:${MONITORING}:${id}`,
    });

  async function forwarded(from: string, context: Record<string, string[]>) {
    const [policy] = ofType(monitor, 'AWS::Events::EventBusPolicy');
    const statement = resolve(policy?.Properties?.Statement);
    const role = ofType(forwarder, 'AWS::IAM::Policy')[0]?.Properties?.PolicyDocument;
    const r = await runSimulation(
      {
        identityPolicies: [{ name: 'forwarder', policy: role }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: { Version: '2012-10-17', Statement: [statement] },
        request: {
          action: 'events:PutEvents',
          principal: `arn:aws:iam::${from}:role/ScimTokenHealthForwarder-ScimTokenNoticesEventsRole`,
          resource: {
            accountId: MONITORING,
            resource: `arn:aws:events:${REGION}:${MONITORING}:event-bus/default`,
          },
          contextVariables: context,
        },
      } as Parameters<typeof runSimulation>[0],
      {},
    );
    if (r.resultType === 'error') throw new Error(JSON.stringify(r.errors));
    return r.overallResult;
  }

  const health = { 'events:source': ['aws.health'], 'events:detail-type': ['AWS Health Event'] };

  it('lets the listed account put AWS Health events on the default bus, and nothing else', async () => {
    expect(await forwarded(MANAGEMENT, health)).toBe('Allowed');
    expect(await forwarded('333333333333', health)).not.toBe('Allowed');
    expect(await forwarded(MANAGEMENT, { ...health, 'events:source': ['aws.health', 'evil.app'] })).not.toBe(
      'Allowed',
    );
    expect(await forwarded(MANAGEMENT, { ...health, 'events:detail-type': ['Something'] })).not.toBe(
      'Allowed',
    );
    expect(await forwarded(MANAGEMENT, {})).not.toBe('Allowed');
  });

  it("routes what arrives to the monitor's Health rule", () => {
    const rules = ofType(monitor, 'AWS::Events::Rule').filter((r) =>
      JSON.stringify(r.Properties?.EventPattern ?? {}).includes('aws.health'),
    );
    expect(rules).toHaveLength(1);
    // No account filter: a notice forwarded from the management account matches like a local one.
    expect(JSON.stringify(rules[0]?.Properties?.EventPattern)).not.toContain('account');
  });
});

describe('configuration', () => {
  it.each([
    [
      { healthSourceAccounts: '11111111111' },
      'healthSourceAccounts: "11111111111" is not a 12-digit AWS account ID.',
    ],
    [
      { healthSourceAccounts: MANAGEMENT, reconcileHealthEvents: 'false' },
      'healthSourceAccounts needs reconcileHealthEvents',
    ],
    [{ healthForwarderTargetBus: 'default' }, 'healthForwarderTargetBus: "default" is not an event bus ARN'],
  ])('rejects %j with its reason', (context, message) => {
    expect(() => synthStack(context)).toThrow(message);
  });
});
