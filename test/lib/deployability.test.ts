/**
 * Deployed for real: in every configuration, each path an AWS service takes to a resource of the
 * stack is allowed by a policy, and AWS Control Tower's proactive controls pass (all of them with
 * VPC placement; all but CT.LAMBDA.PR.3 without).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, CfnResource, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import * as sns from 'aws-cdk-lib/aws-sns';
import { monitorKey } from '../../lib/keys';
import { ScimTokenExpiryMonitor } from '../../lib/scim-token-expiry-monitor';
import { controlTowerFindings, type Findings } from '../support/control-tower';
import { servicePaths } from '../support/paths';
import { SLACK, synthStack, TEAMS, WEBHOOK } from '../support/stack';

const PROBE = {
  verifyStoredTokens: 'vault/okta',
  scimEndpoint: 'https://scim.eu-west-1.amazonaws.com/t/scim/v2/',
};
const VPC = {
  vpcId: 'vpc-0123456789abcdef0',
  vpcSubnetIds: 'subnet-0123456789abcdef0,subnet-0123456789abcdef1',
  vpcSecurityGroupIds: 'sg-0123456789abcdef0',
};
const EMAIL = { alertEmails: 'oncall@example.com' };

/** A monitor publishing to a topic created elsewhere in the same app, with its own key. */
function existingTopicApp(): Synthesized {
  const app = new App();
  const stack = new Stack(app, 'Platform');
  // A platform key as a governed organization would have it (grants only for AWS resources).
  const key = monitorKey(stack, 'PlatformKey', 'Platform alerts');
  const topic = new sns.Topic(stack, 'PlatformAlerts', { masterKey: key, enforceSSL: true });
  new ScimTokenExpiryMonitor(stack, 'Monitor', { alertTopic: topic });
  return { app, template: Template.fromStack(stack) };
}

interface Synthesized {
  readonly app: App;
  readonly template: Template;
}

const configurations: Array<[string, () => Synthesized]> = [
  ['defaults', () => synthStack()],
  ['Slack and Teams through Chatbot', () => synthStack({ ...SLACK, ...TEAMS, ...EMAIL })],
  ['the Slack webhook forwarder', () => synthStack({ ...WEBHOOK })],
  ['the token probe', () => synthStack({ ...PROBE, ...EMAIL })],
  [
    'every option at once, in a time zone (EventBridge Scheduler), with PagerDuty',
    () =>
      synthStack({
        ...SLACK,
        ...TEAMS,
        ...WEBHOOK,
        ...PROBE,
        ...EMAIL,
        scheduleTimeZone: 'America/New_York',
        pagerDutySecretName: 'platform/pagerduty',
      }),
  ],
  [
    'VPC placement with every option',
    () => synthStack({ ...VPC, ...SLACK, ...TEAMS, ...WEBHOOK, ...PROBE, ...EMAIL }),
  ],
  ['an existing topic', existingTopicApp],
];

/** The checks' negative control: a stack that breaks both, checked in the same runs as the others. */
const BAD = 'a stack that breaks the rules';
function badApp(): Synthesized {
  const app = new App();
  const stack = new Stack(app, 'Bad');
  // A bucket with none of the controls, and a property CloudFormation does not know.
  new s3.CfnBucket(stack, 'Plain', {});
  new CfnResource(stack, 'Typo', { type: 'AWS::SNS::Topic', properties: { TopicNameX: 'x' } });
  // The warning a deployer would see at synth, kept out of the test output.
  const warned = jest.spyOn(console, 'error').mockImplementation(() => {});
  try {
    return { app, template: Template.fromStack(stack) };
  } finally {
    expect(warned).toHaveBeenCalledWith(expect.stringContaining('Template validation found issues'));
    warned.mockRestore();
  }
}

/** What aws-cdk-lib's built-in CloudFormation validation (schema and best practice) reported at synth. */
function cloudFormationFindings(app: App): string[] {
  const report = JSON.parse(readFileSync(path.join(app.outdir, 'validation-report.json'), 'utf8')) as {
    pluginReports: Array<{
      pluginName: string;
      violations: Array<{ ruleName: string; description: string }>;
    }>;
  };
  return report.pluginReports.flatMap((r) =>
    r.violations.map((v) => `${r.pluginName} ${v.ruleName}: ${v.description}`),
  );
}

const synthesized = new Map<string, Synthesized>();
let controlTower: Record<string, Findings>;
beforeAll(() => {
  // The tests' setup turns the built-in validation off for speed; here, where deployability is
  // the question, every configuration goes through it.
  process.env.CDK_VALIDATION = 'true';
  for (const [name, make] of [...configurations, [BAD, badApp] as const]) synthesized.set(name, make());
  process.env.CDK_VALIDATION = 'false';
  controlTower = controlTowerFindings(
    Object.fromEntries([...synthesized].map(([name, s]) => [name, s.template.toJSON()])),
  );
});

describe.each(configurations.map(([name]) => name))('with %s', (name) => {
  const template = () => (synthesized.get(name) as Synthesized).template;

  it('lets every AWS service through to every resource it must reach', () => {
    const paths = servicePaths(template().toJSON() as never);
    // Non-vacuous: at least the alarms, the schedule, the dead letters and the logs.
    expect(paths.length).toBeGreaterThanOrEqual(8);
    expect(paths.filter((p) => !p.allowedBy).map((p) => p.path)).toEqual([]);
  });

  it('passes the AWS Control Tower proactive controls (CT.LAMBDA.PR.3 only with VPC placement)', () => {
    const findings = controlTower[name];
    if (name.startsWith('VPC')) {
      expect(findings).toEqual({});
    } else {
      expect(Object.keys(findings ?? {})).toEqual(['CT.LAMBDA.PR.3']);
    }
  });

  it("passes aws-cdk-lib's CloudFormation validation with no finding", () => {
    expect(cloudFormationFindings((synthesized.get(name) as Synthesized).app)).toEqual([]);
  });
});

describe('the checks can fail', () => {
  it('cfn-guard and the CloudFormation validation report what is wrong, in the template that has it', () => {
    expect(cloudFormationFindings((synthesized.get(BAD) as Synthesized).app)).toEqual([
      expect.stringContaining(
        'CloudFormation Validate F3002: TopicNameX: Additional properties are not allowed',
      ),
    ]);
    // CT.S3.PR.1: block public access; CT.S3.PR.10: encryption with KMS keys; and so on.
    expect(controlTower[BAD]).toMatchObject({ 'CT.S3.PR.1': ['Plain'], 'CT.S3.PR.10': ['Plain'] });
  });
});

describe('the alarms reach the topic', () => {
  it('through the alarm relay: CloudWatch may invoke it for each alarm, and it may publish to the topic', () => {
    const paths = servicePaths(synthStack().template.toJSON() as never);
    const invoke = paths.filter((p) => p.path.startsWith('lambda.alarms.cloudwatch.amazonaws.com'));
    const publish = paths.filter((p) => / sns:Publish -> .*\(alarm /.test(p.path));
    // Four alarms: errors, not run, invalid registrations, dead letters.
    expect(invoke).toHaveLength(4);
    expect(publish).toHaveLength(4);
    expect([...invoke, ...publish].filter((p) => !p.allowedBy)).toEqual([]);
  });
});

describe('synth warnings', () => {
  it('warns when nobody would receive an alert, and not otherwise', () => {
    const quiet = Annotations.fromStack(synthStack().stack);
    quiet.hasWarning('/ScimTokenMonitor/Monitor', Match.stringLikeRegexp('Nobody will receive an alert'));
    for (const context of [EMAIL, SLACK, WEBHOOK]) {
      const annotations = Annotations.fromStack(synthStack(context).stack);
      annotations.hasNoWarning(
        '/ScimTokenMonitor/Monitor',
        Match.stringLikeRegexp('Nobody will receive an alert'),
      );
    }
  });

  it('warns when logs are kept less than the year Control Tower asks for', () => {
    Annotations.fromStack(synthStack({ ...EMAIL, logRetentionDays: 90 }).stack).hasWarning(
      '/ScimTokenMonitor/Monitor',
      Match.stringLikeRegexp("Logs are kept 90 days: AWS Control Tower's CT.CLOUDWATCH.PR.2"),
    );
  });

  it('rejects a retention CloudWatch Logs does not offer, and incomplete VPC settings', () => {
    expect(() => synthStack({ logRetentionDays: 100 })).toThrow('logRetentionDays: "100" is not a retention');
    expect(() => synthStack({ vpcId: 'vpc-0123456789abcdef0' })).toThrow('vpcId needs vpcSubnetIds');
    expect(() => synthStack({ vpcSubnetIds: 'subnet-0123456789abcdef0' })).toThrow('need vpcId');
    expect(() => synthStack({ ...VPC, vpcSubnetIds: 'sub-1' })).toThrow('"sub-1" is not a subnet ID');
  });
});
