/**
 * The forwarder without CDK: the plain CloudFormation template the package ships
 * (dist/templates/, written by `npm run build`), with the monitor's bus as a parameter, no
 * bootstrap requirement and no asset, current with the construct; and the app's CDK stack for it
 * needs no bootstrap either.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { forwarderTemplate, ScimTokenHealthForwarderStack } from '../../app/health-forwarder-stack';
import { FORWARDER_TEMPLATE } from '../../tools/build-templates';

const shipped = JSON.parse(readFileSync(FORWARDER_TEMPLATE, 'utf8')) as {
  Parameters: Record<string, { Type: string; AllowedPattern: string }>;
  Rules?: object;
  Resources: Record<string, { Type: string; Properties?: Record<string, unknown>; Metadata?: object }>;
};

it('is a plain template: the bus ARN a parameter, no BootstrapVersion, no asset', () => {
  expect(Object.keys(shipped.Parameters)).toEqual(['MonitorBusArn']);
  expect(shipped.Rules).toBeUndefined();
  const text = JSON.stringify(shipped);
  expect(text).not.toMatch(/BootstrapVersion|cdk-hnb659fds|aws:asset|S3Key|AssetParameters/);
  const pattern = new RegExp(shipped.Parameters.MonitorBusArn?.AllowedPattern ?? '^$');
  expect(pattern.test('arn:aws:events:eu-west-1:222222222222:event-bus/default')).toBe(true);
  expect(pattern.test('default')).toBe(false);
  // The rules put events on the bus the parameter names.
  const rules = Object.values(shipped.Resources).filter((r) => r.Type === 'AWS::Events::Rule');
  expect(rules).toHaveLength(2);
  for (const r of rules) expect(JSON.stringify(r.Properties?.Targets)).toContain('{"Ref":"MonitorBusArn"}');
});

it('is what the construct synthesizes today (the build writes it)', () => {
  expect(forwarderTemplate()).toEqual(shipped);
});

it("needs no bootstrap through CDK either (the app's stack)", () => {
  const stack = new ScimTokenHealthForwarderStack(new App(), 'ScimTokenHealthForwarder', {
    targetBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/default',
  });
  const json = Template.fromStack(stack).toJSON() as { Parameters?: object; Rules?: object };
  expect(json.Parameters ?? {}).not.toHaveProperty('BootstrapVersion');
  expect(json.Rules ?? {}).not.toHaveProperty('CheckBootstrapVersion');
});

it("is deployed by the README's commands with its own parameter and path", () => {
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const param = Object.keys(shipped.Parameters)[0] as string;
  expect(readme).toContain(`T=${path.relative(path.join(__dirname, '..', '..'), FORWARDER_TEMPLATE)}`);
  expect(readme).toContain(`--parameter-overrides ${param}="$BUS"`);
  expect(readme).toContain(`ParameterKey=${param},ParameterValue="$BUS"`);
});
