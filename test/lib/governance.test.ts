/**
 * What a governed organization applies to every stack: CDK's permissions-boundary context reaches
 * every role the stack creates, and tags reach every resource that takes them, as
 * docs/governed-organizations.md says.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Tags } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readStackConfig } from '../../app/config';
import { ScimTokenMonitorStack } from '../../app/monitor-stack';
import { FEATURE_FLAGS, synthStack } from '../support/stack';

const doc = readFileSync(path.join(__dirname, '..', '..', 'docs', 'governed-organizations.md'), 'utf8');
const EVERY_OPTION = {
  alertEmails: 'oncall@example.com',
  slackWorkspaceId: 'T07EA123LEP',
  slackChannelId: 'C0123456789',
  slackWebhookSecretName: 'scim-monitor/slack-webhook',
  verifyStoredTokens: 'vault/okta',
  scimEndpoint: 'https://scim.eu-west-1.amazonaws.com/tenant-123/scim/v2/',
  scheduleTimeZone: 'America/New_York',
  pagerDutySecretName: 'platform/pagerduty',
  healthSourceAccounts: '111111111111',
};

it("puts CDK's permissions boundary (as the docs write the context) on every role the stack creates", () => {
  const context = JSON.parse(
    /-c '@aws-cdk\/core:permissionsBoundary=(\{[^']+\})'/.exec(doc)?.[1] ?? '{}',
  ) as {
    name?: string;
  };
  expect(context.name).toBe('platform-boundary');
  const { template } = synthStack({ ...EVERY_OPTION, '@aws-cdk/core:permissionsBoundary': context });
  const roles = Object.values(template.findResources('AWS::IAM::Role')) as Array<{
    Properties: { PermissionsBoundary?: unknown };
  }>;
  expect(roles.length).toBeGreaterThanOrEqual(6);
  for (const r of roles)
    expect(JSON.stringify(r.Properties.PermissionsBoundary)).toContain(':policy/platform-boundary');
});

it('tags every resource that takes tags', () => {
  expect(doc).toContain('Tags.of(app).add(');
  // As the docs say, on the app, before anything is synthesized.
  const app = new App({ context: { ...FEATURE_FLAGS, ...EVERY_OPTION } });
  Tags.of(app).add('cost-center', 'identity');
  const stack = new ScimTokenMonitorStack(app, 'ScimTokenMonitor', { config: readStackConfig(app.node) });
  const template = Template.fromStack(stack).toJSON() as {
    Resources: Record<string, { Type: string; Properties?: { Tags?: unknown } }>;
  };
  const taggable = [
    'AWS::Lambda::Function',
    'AWS::IAM::Role',
    'AWS::Logs::LogGroup',
    'AWS::KMS::Key',
    'AWS::SNS::Topic',
    'AWS::SQS::Queue',
    'AWS::DynamoDB::Table',
    'AWS::SSM::Parameter',
    'AWS::CloudWatch::Alarm',
  ];
  const kinds = Object.entries(template.Resources).filter(([, r]) => taggable.includes(r.Type));
  expect(new Set(kinds.map(([, r]) => r.Type)).size).toBe(taggable.length);
  const untagged = kinds
    .filter(([, r]) => !JSON.stringify(r.Properties?.Tags ?? '').includes('cost-center'))
    .map(([id]) => id);
  expect(untagged).toEqual([]);
});
