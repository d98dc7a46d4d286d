#!/usr/bin/env node
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { readStackConfig } from '../lib/config';
import { ScimTokenMonitorStack } from '../lib/monitor-stack';

const app = new App();
new ScimTokenMonitorStack(app, 'ScimTokenMonitor', {
  description: 'Alerts before IAM Identity Center SCIM access tokens expire (scim-token-monitor)',
  config: readStackConfig(app.node),
  // Deploy in the region where IAM Identity Center lives: ListInstances is regional.
  env: {
    account: process.env.CDK_DEFAULT_ACCOUNT || undefined,
    region: process.env.CDK_DEFAULT_REGION || undefined,
  },
});
// Security findings fail `cdk synth`; every accepted finding is suppressed with its reason in code.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
