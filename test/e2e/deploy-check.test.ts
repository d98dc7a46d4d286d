/**
 * The check on deploy, through the bundle as it ships: CloudFormation invokes the monitor as a
 * custom resource; it checks the registry at the current time (a dry run: nothing sent, nothing
 * written), answers SUCCESS on the response URL CloudFormation gave, and does nothing for Delete.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { invokeBundle } from '../../tools/bundle';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';

useMonitor();

/** A stand-in for the S3 presigned URL CloudFormation waits on. */
let server: Server;
const answers: Array<{ method: string; contentType: string | undefined; body: Record<string, unknown> }> = [];
beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (c) => {
      body += c;
    });
    req.on('end', () => {
      answers.push({
        method: req.method ?? '',
        contentType: req.headers['content-type'],
        body: JSON.parse(body),
      });
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
beforeEach(() => {
  answers.length = 0;
});

const event = (RequestType: string) => ({
  RequestType,
  ServiceToken: 'arn:aws:lambda:eu-west-1:123456789012:function:ScimTokenMonitor-Function',
  ResponseURL: `http://127.0.0.1:${(server.address() as AddressInfo).port}/cfn-response?X-Amz-Signature=x`,
  StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/ScimTokenMonitor/1',
  RequestId: `req-${RequestType}`,
  ResourceType: 'Custom::ScimTokenMonitorDeployCheck',
  LogicalResourceId: 'MonitorRunOnDeployAE8473AB',
  ResourceProperties: { FunctionVersion: '3' },
});

it('checks the registry on Create and Update, sends and writes nothing, and answers CloudFormation SUCCESS', async () => {
  const { results } = await invokeBundle(bundle, [event('Create'), event('Update')], env);
  expect(results.every((r) => r.ok)).toBe(true);
  // It read the registry (the check ran), and published, put and wrote nothing.
  expect(aws.count('ssm:GetParametersByPath')).toBeGreaterThanOrEqual(2);
  expect(aws.published).toEqual([]);
  expect(aws.events).toEqual([]);
  expect(aws.count('dynamodb:PutItem') + aws.count('dynamodb:UpdateItem')).toBe(0);
  expect(answers).toEqual(
    ['Create', 'Update'].map((type) => ({
      method: 'PUT',
      contentType: '',
      body: {
        Status: 'SUCCESS',
        Reason: 'The monitor checked the registry (a dry run: nothing sent).',
        PhysicalResourceId: 'scim-token-monitor-deploy-check',
        StackId: 'arn:aws:cloudformation:eu-west-1:123456789012:stack/ScimTokenMonitor/1',
        RequestId: `req-${type}`,
        LogicalResourceId: 'MonitorRunOnDeployAE8473AB',
        NoEcho: false,
        Data: {},
      },
    })),
  );
});

it('does nothing for Delete but answer, so the stack deletes without waiting', async () => {
  const { results } = await invokeBundle(bundle, [event('Delete')], env);
  expect(results[0]?.ok).toBe(true);
  expect(aws.count('ssm:GetParametersByPath')).toBe(0);
  expect(answers.map((a) => [a.body.Status, a.body.RequestId])).toEqual([['SUCCESS', 'req-Delete']]);
});

it('answers SUCCESS when the check fails, then fails the invocation, so the errors alarm says so', async () => {
  aws.fault = (call) =>
    call.action === 'ssm:GetParametersByPath' ? { status: 400, code: 'AccessDeniedException' } : undefined;
  try {
    const { results } = await invokeBundle(bundle, [event('Create')], env);
    expect(results[0]?.ok).toBe(false);
    expect(answers.map((a) => a.body.Status)).toEqual(['SUCCESS']);
    expect(String(answers[0]?.body.Reason)).toContain('The deploy-time check failed');
  } finally {
    aws.fault = undefined;
  }
});
