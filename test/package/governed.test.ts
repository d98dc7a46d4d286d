/**
 * Governed checks in a construct user's app: the one line docs/governed-organizations.md gives
 * runs cdk-nag's AWS Solutions checks and AWS Control Tower's proactive controls over the monitor
 * as the packed package installs it, and the construct carries the acknowledgement of every
 * finding it accepts. What is left is the one control a deployer decides (VPC placement).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from '../support/bin';
import { installConsumer, pack } from '../support/consumer';

let project: string;

beforeAll(() => {
  project = installConsumer(pack().tarball, ['cdk-nag', '@cdklabs/cdk-validator-cfnguard']);
}, 180_000);

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

it('runs cdk-nag and the Control Tower rules in a consumer app: only the VPC control is left to the deployer', () => {
  const line = documentedLine();
  expect(line).toBe('Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new CfnGuardValidator());');
  writeFileSync(
    path.join(project, 'governed.js'),
    `const { App, Stack, Validations } = require('aws-cdk-lib');
const sns = require('aws-cdk-lib/aws-sns');
const { AwsSolutionsChecks } = require('cdk-nag');
const { CfnGuardValidator } = require('@cdklabs/cdk-validator-cfnguard');
const { ScimTokenExpiryMonitor } = require('scim-token-monitor');
const app = new App({ outdir: 'governed.out' });
new ScimTokenExpiryMonitor(new Stack(app, 'Governed'), 'Monitor', { alertEmails: ['oncall@example.com'] });
// The checks' negative control: a topic with neither encryption nor TLS enforced.
new sns.CfnTopic(new Stack(app, 'Control'), 'Plain', {});
${line}
app.synth();
`,
  );
  let failed: { status: number } | undefined;
  try {
    execFileSync(process.execPath, ['governed.js'], { cwd: project, stdio: 'ignore' });
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
    'AwsSolutions AwsSolutions-SNS3 Control/Plain',
    // Over the monitor, nothing but CT.LAMBDA.PR.3, which VPC placement answers.
    'cdk-validator-cfnguard lambda_inside_vpc_check Governed/Monitor/Monitor/Function/Resource',
    'cdk-validator-cfnguard lambda_inside_vpc_check Governed/Monitor/SelfMonitoring/AlarmRelay/Function/Resource',
  ]);
});
