import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App } from 'aws-cdk-lib';
import { readStackConfig } from '../lib/config';
import { ScimTokenMonitorStack } from '../lib/monitor-stack';

const ctx = JSON.parse(process.argv[2] ?? '{}');
const app = new App({
  context: ctx,
  policyValidationBeta1: [new CfnGuardValidator()],
  outdir: '/tmp/guard-out',
});
new ScimTokenMonitorStack(app, 'ScimTokenMonitor', { config: readStackConfig(app.node) });
try {
  app.synth();
  console.log('OK');
} catch (e) {
  console.log('THROWN', (e as Error).message.slice(0, 300));
}
