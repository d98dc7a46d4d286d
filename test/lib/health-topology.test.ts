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
  const rules = () => ofType(forwarder, 'AWS::Events::Rule');
  const notices = () =>
    rules().find((r) => JSON.stringify(r.Properties?.EventPattern).includes('aws.health'));

  it("forwards exactly AWS Health's SCIM token notices to the monitor's bus, failures kept", () => {
    expect(notices()?.Properties).toMatchObject({
      Name: expect.stringMatching(/^scim-token-health-forwarder-notices-/),
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
    expect(policies).toEqual([
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: BUS },
      { Action: 'events:PutEvents', Effect: 'Allow', Resource: BUS },
    ]);
    expect(servicePaths(forwarder as never).every((p) => p.allowedBy !== undefined)).toBe(true);
  });

  it("alarms when a notice could not be delivered, and forwards that alarm's changes to the monitor's bus", () => {
    const [alarm] = ofType(forwarder, 'AWS::CloudWatch::Alarm');
    expect(alarm?.Properties).toMatchObject({
      AlarmName: expect.stringMatching(/^scim-token-health-forwarder-failed-/),
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      // An OpsItem in this account: Control Tower's CT.CLOUDWATCH.PR.1 wants an action.
      AlarmActions: [expect.objectContaining({ 'Fn::Join': expect.anything() })],
    });
    expect(JSON.stringify(alarm?.Properties?.AlarmActions)).toContain(':ssm:');
    const forward = rules().find((r) =>
      JSON.stringify(r.Properties?.EventPattern).includes('aws.cloudwatch'),
    );
    expect(forward?.Properties).toMatchObject({
      Name: expect.stringMatching(/^scim-token-health-forwarder-alarm-/),
      EventPattern: {
        source: ['aws.cloudwatch'],
        'detail-type': ['CloudWatch Alarm State Change'],
        resources: [expect.anything()],
      },
      Targets: [expect.objectContaining({ Arn: BUS })],
    });
  });
});

describe('the monitor side', () => {
  const resolve = (v: unknown) =>
    resolveTemplateValue(v, {
      account: MONITORING,
      region: REGION,
      getAtt: (id) => `arn:aws:x:${REGION}:${MONITORING}:${id}`,
    });
  const FORWARDER_RULE = `arn:aws:events:${REGION}:${MANAGEMENT}:rule/scim-token-health-forwarder-notices-X`;

  async function forwarded(from: string, context: Record<string, string | string[]>) {
    const statements = ofType(monitor, 'AWS::Events::EventBusPolicy').map((p) =>
      resolve(p.Properties?.Statement),
    );
    const role = ofType(forwarder, 'AWS::IAM::Policy')[0]?.Properties?.PolicyDocument;
    const r = await runSimulation(
      {
        identityPolicies: [{ name: 'forwarder', policy: role }],
        serviceControlPolicies: [],
        resourceControlPolicies: [],
        resourcePolicy: { Version: '2012-10-17', Statement: statements },
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

  const health = {
    'events:source': ['aws.health'],
    'events:detail-type': ['AWS Health Event'],
    'aws:SourceArn': FORWARDER_RULE,
  };
  const alarm = {
    'events:source': ['aws.cloudwatch'],
    'events:detail-type': ['CloudWatch Alarm State Change'],
    'aws:SourceArn': FORWARDER_RULE.replace('notices', 'alarm'),
  };

  it("lets the listed account's forwarder rules put AWS Health notices and their alarm's changes on the default bus, and nothing else", async () => {
    expect(await forwarded(MANAGEMENT, health)).toBe('Allowed');
    expect(await forwarded(MANAGEMENT, alarm)).toBe('Allowed');
    // The backup copies, forwarded from us-west-2.
    expect(
      await forwarded(MANAGEMENT, {
        ...health,
        'aws:SourceArn': FORWARDER_RULE.replace(REGION, 'us-west-2'),
      }),
    ).toBe('Allowed');
    expect(await forwarded('333333333333', health)).not.toBe('Allowed');
    // Another rule of that account, or a direct PutEvents (no rule), may not.
    expect(
      await forwarded(MANAGEMENT, {
        ...health,
        'aws:SourceArn': `arn:aws:events:${REGION}:${MANAGEMENT}:rule/other`,
      }),
    ).not.toBe('Allowed');
    const { 'aws:SourceArn': _, ...direct } = health;
    expect(await forwarded(MANAGEMENT, direct)).not.toBe('Allowed');
    expect(await forwarded(MANAGEMENT, { ...health, 'events:source': ['aws.health', 'evil.app'] })).not.toBe(
      'Allowed',
    );
    expect(await forwarded(MANAGEMENT, { ...health, 'events:detail-type': ['Something'] })).not.toBe(
      'Allowed',
    );
    expect(await forwarded(MANAGEMENT, { ...alarm, 'events:detail-type': ['AWS Health Event'] })).not.toBe(
      'Allowed',
    );
    expect(await forwarded(MANAGEMENT, {})).not.toBe('Allowed');
  });

  it("routes what arrives to the monitor's Health rule, and the forwarder's alarms to the alarm relay", () => {
    const rules = ofType(monitor, 'AWS::Events::Rule');
    const healthRules = rules.filter((r) =>
      JSON.stringify(r.Properties?.EventPattern ?? {}).includes('aws.health'),
    );
    expect(healthRules).toHaveLength(1);
    // No account filter: a notice forwarded from the management account matches like a local one.
    expect(JSON.stringify(healthRules[0]?.Properties?.EventPattern)).not.toContain('account');
    const alarmRules = rules.filter((r) =>
      JSON.stringify(r.Properties?.EventPattern ?? {}).includes('aws.cloudwatch'),
    );
    expect(alarmRules.map((r) => r.Properties)).toEqual([
      expect.objectContaining({
        EventPattern: {
          source: ['aws.cloudwatch'],
          'detail-type': ['CloudWatch Alarm State Change'],
          account: [MANAGEMENT],
          detail: { alarmName: [{ prefix: 'scim-token-health-forwarder-' }] },
        },
        Targets: [
          expect.objectContaining({
            Arn: { 'Fn::GetAtt': [expect.stringMatching(/AlarmRelay/), 'Arn'] },
            DeadLetterConfig: expect.anything(),
          }),
        ],
      }),
    ]);
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
