/**
 * Deployed for real: in every configuration, each path an AWS service takes to a resource of the
 * stack is allowed by a policy, and AWS Control Tower's proactive controls pass (all of them with
 * VPC placement; all but CT.LAMBDA.PR.3 without).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Annotations, Match, Template } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import { monitorKey } from '../../lib/keys';
import { ScimTokenExpiryMonitor } from '../../lib/scim-token-expiry-monitor';
import { controlTowerFindings } from '../support/control-tower';
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
function existingTopicTemplate(): Template {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Platform');
  // A platform key as a governed organization would have it (grants only for AWS resources).
  const key = monitorKey(stack, 'PlatformKey', 'Platform alerts');
  const topic = new sns.Topic(stack, 'PlatformAlerts', { masterKey: key, enforceSSL: true });
  new ScimTokenExpiryMonitor(stack, 'Monitor', { alertTopic: topic });
  return Template.fromStack(stack);
}

const configurations: Array<[string, () => Template]> = [
  ['defaults', () => synthStack().template],
  ['Slack and Teams through Chatbot', () => synthStack({ ...SLACK, ...TEAMS, ...EMAIL }).template],
  ['the Slack webhook forwarder', () => synthStack({ ...WEBHOOK }).template],
  ['the token probe', () => synthStack({ ...PROBE, ...EMAIL }).template],
  ['every option at once', () => synthStack({ ...SLACK, ...TEAMS, ...WEBHOOK, ...PROBE, ...EMAIL }).template],
  [
    'VPC placement with every option',
    () => synthStack({ ...VPC, ...SLACK, ...TEAMS, ...WEBHOOK, ...PROBE, ...EMAIL }).template,
  ],
  ['an existing topic', existingTopicTemplate],
];

describe.each(configurations)('with %s', (name, make) => {
  let template: Template;
  beforeAll(() => {
    template = make();
  });

  it('lets every AWS service through to every resource it must reach', () => {
    const paths = servicePaths(template.toJSON() as never);
    // Non-vacuous: at least the alarms, the schedule, the dead letters and the logs.
    expect(paths.length).toBeGreaterThanOrEqual(8);
    expect(paths.filter((p) => !p.allowedBy).map((p) => p.path)).toEqual([]);
  });

  it('passes the AWS Control Tower proactive controls (CT.LAMBDA.PR.3 only with VPC placement)', () => {
    const findings = controlTowerFindings(template.toJSON());
    if (name.startsWith('VPC')) {
      expect(findings).toEqual({});
    } else {
      expect(Object.keys(findings)).toEqual(['CT.LAMBDA.PR.3']);
    }
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
