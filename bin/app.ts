#!/usr/bin/env node
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { type MonitorStackConfig, readStackConfig } from '../app/config';
import { ScimTokenHealthForwarderStack } from '../app/health-forwarder-stack';
import { ScimTokenMonitorStack } from '../app/monitor-stack';
import { DEFAULTS } from '../core/contract';
import { ConfigurationError } from '../lib/validation';

const app = new App();
let config: MonitorStackConfig;
let stack: ScimTokenMonitorStack;
try {
  config = readStackConfig(app.node);
  stack = new ScimTokenMonitorStack(app, DEFAULTS.stackName, {
    description: 'Alerts before IAM Identity Center SCIM access tokens expire (scim-token-monitor)',
    config,
    // Deploy in the region where IAM Identity Center lives: ListInstances is regional.
    env: {
      account: process.env.CDK_DEFAULT_ACCOUNT || undefined,
      region: process.env.CDK_DEFAULT_REGION || undefined,
    },
  });
  // Organizations: the forwarder for the account that owns IAM Identity Center (deploy it there,
  // in the instance's region; README "Organizations").
  if (config.healthForwarderTargetBus) {
    new ScimTokenHealthForwarderStack(app, 'ScimTokenHealthForwarder', {
      description:
        "Forwards AWS Health's SCIM token expiry notices to the SCIM token monitor (scim-token-monitor)",
      targetBusArn: config.healthForwarderTargetBus,
      env: {
        account: process.env.CDK_DEFAULT_ACCOUNT || undefined,
        region: process.env.CDK_DEFAULT_REGION || undefined,
      },
    });
  }
} catch (error) {
  // A deployer's mistake: every problem in one list, once, and no stack trace.
  if (!(error instanceof ConfigurationError)) throw error;
  process.stderr.write(`${error.message}\n`);
  process.exit(1);
}
// Findings fail `cdk synth`: cdk-nag's AWS Solutions checks, and AWS Control Tower's proactive
// controls (the cfn-guard rules Control Tower's hooks run at deploy time). Every accepted
// finding is acknowledged with its reason in code.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }), new CfnGuardValidator());
if (!config.vpc) {
  Validations.of(stack).acknowledge({
    id: 'cdk-validator-cfnguard::lambda_inside_vpc_check',
    reason:
      'VPC placement is opt-in (-c vpcId, vpcSubnetIds, vpcSecurityGroupIds): where CT.LAMBDA.PR.3 is enabled, deploy with them (docs/governed-organizations.md).',
  });
}
