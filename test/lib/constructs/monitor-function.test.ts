/**
 * A missing IAM grant only shows after deploy. This test runs the handler through every path
 * that calls AWS (against mocked clients), turns each call into the IAM action and resource it
 * needs, and checks the synthesized role allows exactly that.
 */
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import {
  BatchGetItemCommand,
  ConditionalCheckFailedException,
  DynamoDBClient,
  PutItemCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetTopicAttributesCommand, PublishBatchCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { ListInstancesCommand, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../../functions/monitor/handler';
import { MONITOR_ENV, scheduledEvent } from '../../support/env';
import { roleStatements, synthStack } from '../../support/stack';

// As the construct configures it by default: provisioning observed.
Object.assign(process.env, MONITOR_ENV, { OBSERVE_PROVISIONING: 'true' });
const account = MONITOR_ENV.ACCOUNT_ID;
const region = MONITOR_ENV.AWS_REGION;

const ssm = mockClient(SSMClient);
const sns = mockClient(SNSClient);
const events = mockClient(EventBridgeClient);
const sso = mockClient(SSOAdminClient);
const dynamodb = mockClient(DynamoDBClient);
const cloudtrail = mockClient(CloudTrailClient);
/** IAM service prefix of each mocked client. */
const mocks = { ssm, sns, events, sso, dynamodb, cloudtrail } as const;

interface Needed {
  readonly action: string;
  /** The resource as IAM sees it, or a marker for a resource known only by its CloudFormation logical ID. */
  readonly resource: string;
}

/** What each call needs in IAM terms. */
function needs(service: string, command: string, input: Record<string, unknown>): Needed[] {
  const action = `${service}:${command.replace(/Command$/, '')}`;
  const parameter = (name: string) => `arn:aws:ssm:${region}:${account}:parameter${name}`;
  switch (action) {
    case 'ssm:GetParametersByPath':
      return [{ action, resource: parameter(String(input.Path)) }];
    case 'ssm:GetParameters':
      return (input.Names as string[]).map((n) => ({ action, resource: parameter(n) }));
    case 'ssm:PutParameter':
      return [{ action, resource: parameter(String(input.Name)) }];
    case 'sns:Publish':
    case 'sns:PublishBatch':
      // PublishBatch is authorized as sns:Publish.
      return [{ action: 'sns:Publish', resource: '<ref:AlertTopic>' }];
    case 'sns:GetTopicAttributes':
      return [{ action, resource: '<ref:AlertTopic>' }];
    case 'dynamodb:BatchGetItem':
      return Object.keys(input.RequestItems as object).map((t) => ({ action, resource: `<table:${t}>` }));
    case 'dynamodb:GetItem':
    case 'dynamodb:PutItem':
    case 'dynamodb:UpdateItem':
      return [{ action, resource: `<table:${String(input.TableName)}>` }];
    case 'events:PutEvents':
      return (input.Entries as Array<{ EventBusName: string }>).map((e) => ({
        action,
        resource: `arn:aws:events:${region}:${account}:event-bus/${e.EventBusName}`,
      }));
    default:
      return [{ action, resource: '*' }];
  }
}

/** A policy resource as a string: pseudo parameters filled in, other references as `<ref:LogicalId>`. */
function resolve(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, unknown>;
  if (v.Ref === 'AWS::Partition') return 'aws';
  if (v.Ref === 'AWS::Region') return region;
  if (v.Ref === 'AWS::AccountId') return account;
  if (typeof v.Ref === 'string') return `<ref:${v.Ref}>`;
  if (Array.isArray(v['Fn::GetAtt'])) return `<ref:${(v['Fn::GetAtt'] as string[])[0]}>`;
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return parts.map(resolve).join(sep);
  }
  throw new Error(`cannot resolve ${JSON.stringify(value)}`);
}

function matches(pattern: string, resource: string): boolean {
  if (resource === '<ref:AlertTopic>') return /^<ref:MonitorAlertTopic[0-9A-F]+>$/.test(pattern);
  // The function's LEDGER_TABLE_NAME is the table's Ref; its ARN in the policy is the table's GetAtt.
  if (resource.startsWith('<table:')) return /^<ref:MonitorLedgerTable[0-9A-F]+>$/.test(pattern);
  const re = new RegExp(
    `^${pattern
      .split('*')
      .map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
      .join('.*')}$`,
  );
  return re.test(resource);
}

/** The synthesized role's statements, resources resolved for matching. */
function grants() {
  return roleStatements(synthStack().template).map((s) => ({
    actions: ([] as string[]).concat(s.Action as string | string[]),
    resources: ([] as unknown[]).concat(s.Resource).map(resolve),
  }));
}

async function exerciseEveryCall(): Promise<Needed[]> {
  ssm.on(GetParametersByPathCommand).resolves({
    Parameters: [
      { Name: '/scim-token-monitor/tokens/okta-prod', Type: 'String', Value: '2026-01-15', Version: 1 },
      { Name: '/scim-token-monitor/tokens/broken', Type: 'String', Value: '2026-02-30', Version: 1 },
    ],
  });
  dynamodb.on(BatchGetItemCommand).resolves({ Responses: {} });
  // A claim that another run holds (DynamoDB returns the item with the failed condition), then
  // claims that succeed.
  dynamodb
    .on(UpdateItemCommand)
    .rejectsOnce(
      new ConditionalCheckFailedException({
        message: 'The conditional request failed',
        $metadata: {},
        Item: { events: { M: { status: { S: 'claimed' } } } },
      }),
    )
    .resolves({});
  dynamodb.on(PutItemCommand).resolves({});
  sns.on(GetTopicAttributesCommand).resolves({
    Attributes: { SubscriptionsConfirmed: '1', SubscriptionsPending: '0' },
  });
  sns.on(PublishBatchCommand).callsFake((input: { PublishBatchRequestEntries: Array<{ Id: string }> }) => ({
    Successful: input.PublishBatchRequestEntries.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}` })),
  }));
  events.on(PutEventsCommand).callsFake((input: { Entries: unknown[] }) => ({
    FailedEntryCount: 0,
    Entries: input.Entries.map((_, i) => ({ EventId: `e-${i}` })),
  }));
  sso.on(ListInstancesCommand).resolves({ Instances: [] });
  cloudtrail.on(LookupEventsCommand).resolves({ Events: [] });

  // A scheduled run arriving now (only a scheduled run sends).
  await handler(scheduledEvent(new Date().toISOString()));

  return Object.entries(mocks).flatMap(([service, mock]) =>
    (mock as { calls(): Array<{ args: unknown[] }> }).calls().flatMap((call) => {
      const command = call.args[0] as unknown as {
        constructor: { name: string };
        input: Record<string, unknown>;
      };
      return needs(service, command.constructor.name, command.input);
    }),
  );
}

describe('the role grants every call the code makes', () => {
  it('for a run that reads, alerts, reports an invalid registration and records state', async () => {
    const needed = await exerciseEveryCall();
    // Every kind of call happened, so the comparison below is not vacuous.
    expect(new Set(needed.map((n) => n.action))).toEqual(
      new Set([
        'ssm:GetParametersByPath',
        'dynamodb:BatchGetItem',
        'dynamodb:UpdateItem',
        'dynamodb:PutItem',
        'sns:Publish',
        'sns:GetTopicAttributes',
        'events:PutEvents',
        'sso:ListInstances',
        'cloudtrail:LookupEvents',
      ]),
    );

    const statements = grants();
    const missing = needed.filter(
      (n) =>
        !statements.some(
          (s) => s.actions.includes(n.action) && s.resources.some((r) => matches(r, n.resource)),
        ),
    );
    expect(missing).toEqual([]);
  });

  it('and would notice a call outside the grants', () => {
    const statements = grants();
    const outside = {
      action: 'ssm:GetParameters',
      resource: `arn:aws:ssm:${region}:${account}:parameter/other/secret`,
    };
    expect(
      statements.some(
        (s) => s.actions.includes(outside.action) && s.resources.some((r) => matches(r, outside.resource)),
      ),
    ).toBe(false);
  });
});
