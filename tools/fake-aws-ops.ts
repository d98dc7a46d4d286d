/**
 * The local AWS stand-in's answers for what the CLI reads about a deployed stack (`doctor`,
 * `test-alert`): CloudFormation stacks and their resources, SNS subscriptions, EventBridge rules,
 * and CloudWatch alarm history and metrics. Same wire protocols as AWS: CloudFormation and SNS
 * speak the query protocol (XML), EventBridge JSON 1.1, CloudWatch JSON 1.0.
 */
import { randomUUID } from 'node:crypto';

/** A deployed stack as DescribeStacks and ListStackResources report it. */
export interface FakeStack {
  readonly outputs: Record<string, string>;
  readonly resources?: ReadonlyArray<{ logicalId: string; type: string; physicalId: string }>;
}

export interface FakeSubscription {
  readonly protocol: string;
  readonly endpoint: string;
  /** False: the subscriber has not confirmed yet (SubscriptionArn "PendingConfirmation"). */
  readonly confirmed: boolean;
}

export interface FakeAlarmHistoryItem {
  readonly type: 'Action' | 'StateUpdate' | 'ConfigurationUpdate';
  readonly summary: string;
  readonly timestamp: Date;
}

export interface FakeDatapoint {
  readonly namespace: string;
  readonly metricName: string;
  readonly dimensions: Record<string, string>;
  readonly timestamp: Date;
  readonly value: number;
}

/** What the stand-in knows about deployed resources. */
export class FakeOps {
  readonly stacks = new Map<string, FakeStack>();
  readonly subscriptions = new Map<string, FakeSubscription[]>();
  readonly rules = new Map<string, { state: 'ENABLED' | 'DISABLED' }>();
  readonly alarmHistory = new Map<string, FakeAlarmHistoryItem[]>();
  readonly datapoints: FakeDatapoint[] = [];

  clear(): void {
    this.stacks.clear();
    this.subscriptions.clear();
    this.rules.clear();
    this.alarmHistory.clear();
    this.datapoints.length = 0;
  }

  /** CloudFormation (query protocol): [status, XML]. */
  cloudFormation(form: URLSearchParams): [number, string] {
    const name = form.get('StackName') ?? '';
    const stack = this.stacks.get(name);
    if (!stack) return queryError(400, 'ValidationError', `Stack with id ${name} does not exist`);
    const members = (items: string[]) => items.map((i) => `<member>${i}</member>`).join('');
    switch (form.get('Action')) {
      case 'DescribeStacks': {
        const outputs = members(
          Object.entries(stack.outputs).map(
            ([k, v]) => `<OutputKey>${xml(k)}</OutputKey><OutputValue>${xml(v)}</OutputValue>`,
          ),
        );
        return ok(
          'DescribeStacks',
          `<Stacks><member><StackName>${xml(name)}</StackName><StackId>arn:aws:cloudformation:eu-west-1:123456789012:stack/${xml(name)}/${randomUUID()}</StackId><CreationTime>2026-11-01T00:00:00.000Z</CreationTime><StackStatus>CREATE_COMPLETE</StackStatus><Outputs>${outputs}</Outputs></member></Stacks>`,
        );
      }
      case 'ListStackResources': {
        const summaries = members(
          (stack.resources ?? []).map(
            (r) =>
              `<LogicalResourceId>${xml(r.logicalId)}</LogicalResourceId><PhysicalResourceId>${xml(r.physicalId)}</PhysicalResourceId><ResourceType>${xml(r.type)}</ResourceType><ResourceStatus>CREATE_COMPLETE</ResourceStatus><LastUpdatedTimestamp>2026-11-01T00:00:00.000Z</LastUpdatedTimestamp>`,
          ),
        );
        return ok('ListStackResources', `<StackResourceSummaries>${summaries}</StackResourceSummaries>`);
      }
      default:
        return queryError(400, 'InvalidAction', `${form.get('Action')} is not served here`);
    }
  }

  /** SNS ListSubscriptionsByTopic (query protocol). */
  listSubscriptions(form: URLSearchParams): [number, string] {
    const topic = form.get('TopicArn') ?? '';
    const subs = this.subscriptions.get(topic) ?? [];
    const members = subs
      .map(
        (s) =>
          `<member><TopicArn>${xml(topic)}</TopicArn><Protocol>${xml(s.protocol)}</Protocol><Endpoint>${xml(s.endpoint)}</Endpoint><Owner>123456789012</Owner><SubscriptionArn>${s.confirmed ? `${xml(topic)}:${randomUUID()}` : 'PendingConfirmation'}</SubscriptionArn></member>`,
      )
      .join('');
    return ok(
      'ListSubscriptionsByTopic',
      `<Subscriptions>${members}</Subscriptions>`,
      'http://sns.amazonaws.com/doc/2010-03-31/',
    );
  }

  /**
   * SNS GetTopicAttributes (query protocol): the subscription counts of a topic the stand-in knows
   * (one with an entry in `subscriptions`, even empty); any other topic does not exist, as in SNS.
   */
  topicAttributes(form: URLSearchParams): [number, string] {
    const topic = form.get('TopicArn') ?? '';
    const subs = this.subscriptions.get(topic);
    if (!subs) return queryError(404, 'NotFound', 'Topic does not exist');
    const attributes: Record<string, string> = {
      TopicArn: topic,
      SubscriptionsConfirmed: String(subs.filter((s) => s.confirmed).length),
      SubscriptionsPending: String(subs.filter((s) => !s.confirmed).length),
      SubscriptionsDeleted: '0',
    };
    const entries = Object.entries(attributes)
      .map(([k, v]) => `<entry><key>${xml(k)}</key><value>${xml(v)}</value></entry>`)
      .join('');
    return ok(
      'GetTopicAttributes',
      `<Attributes>${entries}</Attributes>`,
      'http://sns.amazonaws.com/doc/2010-03-31/',
    );
  }

  /** EventBridge DescribeRule and CloudWatch's JSON operations: [status, body]. */
  json(action: string, input: Record<string, unknown>): [number, unknown] | undefined {
    switch (action) {
      case 'events:DescribeRule': {
        const rule = this.rules.get(String(input.Name));
        if (!rule)
          return [
            400,
            { __type: 'ResourceNotFoundException', message: `Rule ${input.Name} does not exist.` },
          ];
        return [
          200,
          {
            Name: input.Name,
            State: rule.state,
            Arn: `arn:aws:events:eu-west-1:123456789012:rule/${input.Name}`,
          },
        ];
      }
      case 'cloudwatch:DescribeAlarmHistory': {
        const items = (this.alarmHistory.get(String(input.AlarmName)) ?? [])
          .filter((i) => input.HistoryItemType === undefined || i.type === input.HistoryItemType)
          .filter(
            (i) => input.StartDate === undefined || i.timestamp.getTime() / 1000 >= Number(input.StartDate),
          )
          .map((i) => ({
            AlarmName: input.AlarmName,
            AlarmType: 'MetricAlarm',
            HistoryItemType: i.type,
            HistorySummary: i.summary,
            Timestamp: i.timestamp.getTime() / 1000,
          }));
        return [200, { AlarmHistoryItems: items }];
      }
      case 'cloudwatch:GetMetricStatistics': {
        const wanted = Object.fromEntries(
          ((input.Dimensions as Array<{ Name: string; Value: string }>) ?? []).map((d) => [d.Name, d.Value]),
        );
        const start = Number(input.StartTime) * 1000;
        const end = Number(input.EndTime) * 1000;
        const period = Number(input.Period) * 1000;
        const statistics = (input.Statistics as string[] | undefined) ?? [];
        // As CloudWatch checks them: a period in whole minutes, and statistics it knows.
        if (!Number.isInteger(period / 60_000) || period <= 0) {
          return [
            400,
            { __type: 'InvalidParameterValue', message: 'The parameter Period must be a multiple of 60.' },
          ];
        }
        if (
          statistics.length === 0 ||
          !statistics.every((s) => ['Sum', 'Maximum', 'Minimum', 'Average', 'SampleCount'].includes(s))
        ) {
          return [400, { __type: 'InvalidParameterCombination', message: 'Statistics must be given.' }];
        }
        const buckets = new Map<number, number[]>();
        for (const d of this.datapoints) {
          const t = d.timestamp.getTime();
          if (d.namespace !== input.Namespace || d.metricName !== input.MetricName || t < start || t >= end)
            continue;
          if (JSON.stringify(d.dimensions) !== JSON.stringify(wanted)) continue;
          const bucket = start + Math.floor((t - start) / period) * period;
          buckets.set(bucket, [...(buckets.get(bucket) ?? []), d.value]);
        }
        const compute: Record<string, (v: number[]) => number> = {
          Sum: (v) => v.reduce((a, b) => a + b, 0),
          Maximum: (v) => Math.max(...v),
          Minimum: (v) => Math.min(...v),
          Average: (v) => v.reduce((a, b) => a + b, 0) / v.length,
          SampleCount: (v) => v.length,
        };
        return [
          200,
          {
            Label: input.MetricName,
            Datapoints: [...buckets].map(([t, values]) => ({
              Timestamp: t / 1000,
              ...Object.fromEntries(statistics.map((s) => [s, compute[s]?.(values)])),
              Unit: 'Count',
            })),
          },
        ];
      }
      default:
        return undefined;
    }
  }
}

export function xml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

function ok(
  action: string,
  result: string,
  ns = 'http://cloudformation.amazonaws.com/doc/2010-05-15/',
): [number, string] {
  return [
    200,
    `<${action}Response xmlns="${ns}"><${action}Result>${result}</${action}Result><ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></${action}Response>`,
  ];
}

export function queryError(status: number, code: string, message: string): [number, string] {
  return [
    status,
    `<ErrorResponse><Error><Type>${status >= 500 ? 'Receiver' : 'Sender'}</Type><Code>${xml(code)}</Code><Message>${xml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`,
  ];
}
