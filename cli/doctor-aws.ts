/** Gathers what `doctor` diagnoses from the deployed stack: read-only calls, nothing written. */
import { AWS_METRICS, type DeploymentSettings, METRICS, SERVICE_NAMES } from '../core/contract';

const LOOKBACK_DAYS = 8;

/** What doctor learned from AWS: plain data, so doctor.ts decides the verdicts without AWS. */
export interface DeploymentFacts {
  readonly stackName: string;
  readonly subscriptions: ReadonlyArray<{ protocol: string; endpoint: string; confirmed: boolean }>;
  /** The schedule rule's state, or undefined when the stack has no such rule (deleted). */
  readonly scheduleState?: string;
  /** The schedule runs in a time zone through EventBridge Scheduler: its name and zone. */
  readonly zonedSchedule?: { readonly name: string; readonly timeZone: string };
  readonly failedAlarmActions: ReadonlyArray<{ alarm: string; summary: string; at: Date }>;
  /** When a run last succeeded (hourly resolution), within the lookback. */
  readonly lastSuccess?: Date;
  readonly lookbackDays: number;
  readonly registeredTokens: number;
  /** Inconclusive probes in the latest hour with data, or undefined with no data. */
  readonly probesInconclusive?: number;
  /** The AWS Health rule's state, or undefined when the stack has none (reconcileHealthEvents off). */
  readonly healthRuleState?: string;
  /** The stack admits other accounts' AWS Health notices (healthSourceAccounts). */
  readonly healthSources: boolean;
  /** The announced expiries the ledger has recorded (filled in by doctor from the ledger). */
  readonly healthNotices?: {
    readonly count: number;
    readonly unmatched: number;
    readonly latest?: string;
    /** Registered tokens close enough to expiry that AWS Health must have announced them, but has not. */
    readonly unannounced?: { readonly count: number; readonly soonest: string; readonly days: number };
  };
  /** The alarm relay's failed invocations in the lookback: an alarm that did not reach the topic. */
  readonly relayErrors: number;
  /** Messages waiting in the dead-letter queue now (its latest datapoint), or undefined with no data. */
  readonly deadLetters?: number;
  /** The roles the topic's policy must admit (named when the relay fails). */
  readonly publisherRoleArns: readonly string[];
}

/** A rule's state, or undefined when the rule is gone (deleted by hand, or a broken deploy). */
async function ruleState(
  eb: import('@aws-sdk/client-eventbridge').EventBridgeClient,
  sdk: typeof import('@aws-sdk/client-eventbridge'),
  name: string | undefined,
): Promise<string | undefined> {
  if (!name) return undefined;
  try {
    return (await eb.send(new sdk.DescribeRuleCommand({ Name: name }))).State;
  } catch (error) {
    if ((error as Error).name === 'ResourceNotFoundException') return undefined;
    throw error;
  }
}

export async function gatherFacts(
  settings: DeploymentSettings,
  registryPrefix: string,
  now: Date,
): Promise<DeploymentFacts> {
  const [{ CLIENT_CONFIG }, cw, sns, events, ssmSdk] = await Promise.all([
    import('../adapters/client-config'),
    import('@aws-sdk/client-cloudwatch'),
    import('@aws-sdk/client-sns'),
    import('@aws-sdk/client-eventbridge'),
    import('@aws-sdk/client-ssm'),
  ]);
  const { stackName, alertTopicArn: topicArn, functionName } = settings;
  const cloudwatch = new cw.CloudWatchClient(CLIENT_CONFIG);

  const subscriptions: DeploymentFacts['subscriptions'][number][] = [];
  const snsClient = new sns.SNSClient(CLIENT_CONFIG);
  for await (const page of sns.paginateListSubscriptionsByTopic(
    { client: snsClient },
    { TopicArn: topicArn },
  )) {
    for (const s of page.Subscriptions ?? []) {
      subscriptions.push({
        protocol: s.Protocol ?? '?',
        endpoint: s.Endpoint ?? '?',
        confirmed: s.SubscriptionArn?.startsWith('arn:') === true,
      });
    }
  }

  const eb = new events.EventBridgeClient(CLIENT_CONFIG);
  const scheduleState = await ruleState(eb, events, settings.scheduleRuleName);
  const healthRuleState = await ruleState(eb, events, settings.healthRuleName);
  const healthSources = settings.healthSourceAccounts.length > 0;

  const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
  const failedAlarmActions: Array<{ alarm: string; summary: string; at: Date }> = [];
  for (const alarm of settings.alarmNames) {
    const history = await cloudwatch.send(
      new cw.DescribeAlarmHistoryCommand({
        AlarmName: alarm,
        HistoryItemType: 'Action',
        StartDate: since,
        EndDate: now,
      }),
    );
    for (const item of history.AlarmHistoryItems ?? []) {
      if (/fail/i.test(item.HistorySummary ?? '')) {
        failedAlarmActions.push({ alarm, summary: item.HistorySummary ?? '', at: item.Timestamp ?? now });
      }
    }
  }
  failedAlarmActions.sort((a, b) => b.at.getTime() - a.at.getTime());

  const latest = async (metricName: string) => {
    const res = await cloudwatch.send(
      new cw.GetMetricStatisticsCommand({
        Namespace: METRICS.namespace,
        MetricName: metricName,
        Dimensions: [
          { Name: METRICS.dimensions.service, Value: SERVICE_NAMES.monitor },
          { Name: METRICS.dimensions.functionName, Value: functionName },
        ],
        StartTime: since,
        EndTime: now,
        Period: 3600,
        Statistics: ['Sum'],
      }),
    );
    return (res.Datapoints ?? [])
      .filter((d) => d.Timestamp !== undefined)
      .sort((a, b) => (b.Timestamp as Date).getTime() - (a.Timestamp as Date).getTime());
  };
  // AWS's own metrics: the relay's errors (an alarm it could not publish), and what waits in the
  // dead-letter queue.
  const awsMetric = async (
    metric: (typeof AWS_METRICS)[keyof typeof AWS_METRICS],
    dimensionValue: string,
    statistic: 'Sum' | 'Maximum',
  ) =>
    (
      (
        await cloudwatch.send(
          new cw.GetMetricStatisticsCommand({
            Namespace: metric.namespace,
            MetricName: metric.name,
            Dimensions: [{ Name: metric.dimension, Value: dimensionValue }],
            StartTime: since,
            EndTime: now,
            Period: 3600,
            Statistics: [statistic],
          }),
        )
      ).Datapoints ?? []
    )
      .filter((d) => d.Timestamp !== undefined)
      .sort((a, b) => (b.Timestamp as Date).getTime() - (a.Timestamp as Date).getTime());
  const relayErrors = (
    await awsMetric(AWS_METRICS.lambdaErrors, settings.alarmRelayFunctionName, 'Sum')
  ).reduce((n, d) => n + (d.Sum ?? 0), 0);
  const [queued] = await awsMetric(AWS_METRICS.queueDepth, settings.deadLetterQueueName, 'Maximum');
  const runs = (await latest(METRICS.runSucceeded)).filter((d) => (d.Sum ?? 0) >= 1);
  const probes = await latest(METRICS.probesInconclusive);

  // Is anything registered? SSM may answer a page with no parameter and a token for the next: read
  // on until one is found or there are no more pages.
  const ssm = new ssmSdk.SSMClient(CLIENT_CONFIG);
  let registered = 0;
  for await (const page of ssmSdk.paginateGetParametersByPath(
    { client: ssm, pageSize: 10 },
    { Path: registryPrefix.replace(/\/$/, ''), Recursive: true },
  )) {
    registered += page.Parameters?.length ?? 0;
    if (registered > 0) break;
  }

  return {
    stackName,
    subscriptions,
    ...(scheduleState ? { scheduleState } : {}),
    ...(settings.zonedScheduleName
      ? { zonedSchedule: { name: settings.zonedScheduleName, timeZone: settings.scheduleTimeZone ?? 'UTC' } }
      : {}),
    ...(healthRuleState ? { healthRuleState } : {}),
    healthSources,
    failedAlarmActions,
    ...(runs[0]?.Timestamp ? { lastSuccess: runs[0].Timestamp } : {}),
    lookbackDays: LOOKBACK_DAYS,
    registeredTokens: registered,
    ...(probes[0] ? { probesInconclusive: probes[0].Sum ?? 0 } : {}),
    relayErrors,
    ...(queued ? { deadLetters: queued.Maximum ?? 0 } : {}),
    publisherRoleArns: settings.publisherRoleArns,
  };
}
