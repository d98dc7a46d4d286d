import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { readStackConfig } from '../../app/config';
import { ScimTokenMonitorStack } from '../../app/monitor-stack';

/** The feature flags of cdk.json (`@aws-cdk…` context keys). */
export const FEATURE_FLAGS: Record<string, unknown> = {
  ...Object.fromEntries(
    Object.entries(
      (
        JSON.parse(readFileSync(path.join(__dirname, '..', '..', 'cdk.json'), 'utf8')) as {
          context: Record<string, unknown>;
        }
      ).context,
    ).filter(([k]) => k.startsWith('@aws-cdk')),
  ),
  // But one: the construct's synth warnings, which their own tests assert, would also be
  // collected into a validation report and printed again by every synth of every test.
  '@aws-cdk/core:annotationsInValidationReport': false,
};

/**
 * Synthesizes the app's stack from context exactly as `bin/app.ts` does. The functions' code is
 * the prebuilt bundles (lib/assets.ts): test/e2e runs those very files.
 */
export function synthStack(context: Record<string, unknown> = {}, env?: { account: string; region: string }) {
  // Under the feature flags cdk.json sets (those `cdk init` writes), as `cdk synth` runs the app.
  const app = new App({ context: { ...FEATURE_FLAGS, ...context } });
  const stack = new ScimTokenMonitorStack(app, 'ScimTokenMonitor', {
    config: readStackConfig(app.node),
    ...(env ? { env } : {}),
  });
  return { app, stack, template: Template.fromStack(stack) };
}

/** The policy statements attached to the monitor function's role. */
/** The statements of the stack's roles' policies, except the alarm relay's (see its own test). */
export function roleStatements(
  template: Template,
  exclude: RegExp = /AlarmRelay/,
): Array<Record<string, unknown>> {
  const policies = template.findResources('AWS::IAM::Policy');
  return Object.values(policies)
    .map(
      (p) =>
        (
          p as {
            Properties: {
              PolicyDocument: { Statement: Array<Record<string, unknown>> };
              Roles: Array<{ Ref?: string }>;
            };
          }
        ).Properties,
    )
    .filter((p) => !p.Roles.some((r) => exclude.test(r.Ref ?? '')))
    .flatMap((p) => p.PolicyDocument.Statement);
}

/** An ARN as the synthesized template writes it for this stack's own partition, region and account. */
export function stackArn(service: string, resource: string) {
  return {
    'Fn::Join': [
      '',
      [
        'arn:',
        { Ref: 'AWS::Partition' },
        `:${service}:`,
        { Ref: 'AWS::Region' },
        ':',
        { Ref: 'AWS::AccountId' },
        `:${resource}`,
      ],
    ],
  };
}

/** Context for the chat options, as a deployer would give them. */
export const SLACK = { slackWorkspaceId: 'T07EA123LEP', slackChannelId: 'C0123456789' };
export const TEAMS = {
  teamsTeamId: '5f0c7f7a-1111-4222-8333-944445555666',
  teamsChannelId: '19%3aabc123%40thread.tacv2',
  teamsTenantId: '0a1b2c3d-1111-4222-8333-944445555666',
};
export const WEBHOOK = { slackWebhookSecretName: 'scim-monitor/slack-webhook' };
