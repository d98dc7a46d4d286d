/** Gathers what `doctor` diagnoses from the deployed stack: read-only calls, nothing written. */
import { CliError } from './errors';
import { stackOutputs, stackResources } from './stack';

const LOOKBACK_DAYS = 8;

/** What doctor learned from AWS: plain data, so doctor.ts decides the verdicts without AWS. */
export interface DeploymentFacts {
  readonly stackName: string;
  readonly subscriptions: ReadonlyArray<{ protocol: string; endpoint: string; confirmed: boolean }>;
  /** The schedule rule's state, or undefined when the stack has no such rule (deleted). */
  readonly scheduleState?: string;
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
  readonly healthNotices?: { readonly count: number; readonly unmatched: number; readonly latest?: string };
}

export async function gatherFacts(
  stackName: string,
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
  const outputs = await stackOutputs(stackName, 'pass --stack-name');
  const topicArn = outputs.AlertTopicArn;
  const functionName = outputs.FunctionName;
  if (!topicArn || !functionName) {
    throw new CliError(
      `Stack ${stackName} has no AlertTopicArn or FunctionName output: is it a scim-token-monitor stack?`,
    );
  }
  const resources = await stackResources(stackName);
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

  const schedule = resources.find((r) => r.type === 'AWS::Events::Rule' && /Schedule/.test(r.logicalId));
  let scheduleState: string | undefined;
  if (schedule) {
    const eb = new events.EventBridgeClient(CLIENT_CONFIG);
    scheduleState = (await eb.send(new events.DescribeRuleCommand({ Name: schedule.physicalId }))).State;
  }

  const healthRule = resources.find(
    (r) => r.type === 'AWS::Events::Rule' && /HealthNotices/.test(r.logicalId),
  );
  let healthRuleState: string | undefined;
  if (healthRule) {
    const eb = new events.EventBridgeClient(CLIENT_CONFIG);
    healthRuleState = (await eb.send(new events.DescribeRuleCommand({ Name: healthRule.physicalId }))).State;
  }
  const healthSources = resources.some((r) => r.type === 'AWS::Events::EventBusPolicy');

  const since = new Date(now.getTime() - LOOKBACK_DAYS * 86_400_000);
  const failedAlarmActions: Array<{ alarm: string; summary: string; at: Date }> = [];
  for (const alarm of resources.filter((r) => r.type === 'AWS::CloudWatch::Alarm')) {
    const history = await cloudwatch.send(
      new cw.DescribeAlarmHistoryCommand({
        AlarmName: alarm.physicalId,
        HistoryItemType: 'Action',
        StartDate: since,
        EndDate: now,
      }),
    );
    for (const item of history.AlarmHistoryItems ?? []) {
      if (/fail/i.test(item.HistorySummary ?? '')) {
        failedAlarmActions.push({
          alarm: alarm.physicalId,
          summary: item.HistorySummary ?? '',
          at: item.Timestamp ?? now,
        });
      }
    }
  }
  failedAlarmActions.sort((a, b) => b.at.getTime() - a.at.getTime());

  const latest = async (metricName: string) => {
    const res = await cloudwatch.send(
      new cw.GetMetricStatisticsCommand({
        Namespace: 'ScimTokenMonitor',
        MetricName: metricName,
        Dimensions: [
          { Name: 'service', Value: 'scim-token-monitor' },
          { Name: 'FunctionName', Value: functionName },
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
  const runs = (await latest('RunSucceeded')).filter((d) => (d.Sum ?? 0) >= 1);
  const probes = await latest('ProbesInconclusive');

  const ssm = new ssmSdk.SSMClient(CLIENT_CONFIG);
  const registry = await ssm.send(
    new ssmSdk.GetParametersByPathCommand({
      Path: registryPrefix.replace(/\/$/, ''),
      Recursive: true,
      MaxResults: 1,
    }),
  );

  return {
    stackName,
    subscriptions,
    ...(scheduleState ? { scheduleState } : {}),
    ...(healthRuleState ? { healthRuleState } : {}),
    healthSources,
    failedAlarmActions,
    ...(runs[0]?.Timestamp ? { lastSuccess: runs[0].Timestamp } : {}),
    lookbackDays: LOOKBACK_DAYS,
    registeredTokens: registry.Parameters?.length ?? 0,
    ...(probes[0] ? { probesInconclusive: probes[0].Sum ?? 0 } : {}),
  };
}
