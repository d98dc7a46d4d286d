import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import type { MonitorStackConfig } from './config';
import { ScimTokenExpiryMonitor } from './scim-token-expiry-monitor';

export interface ScimTokenMonitorStackProps extends StackProps {
  /** Parsed context: see `readStackConfig`. */
  readonly config: MonitorStackConfig;
}

/** The deployable app: one monitor, configured from context, and the outputs operators need. */
export class ScimTokenMonitorStack extends Stack {
  public readonly monitor: ScimTokenExpiryMonitor;

  constructor(scope: Construct, id: string, props: ScimTokenMonitorStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.monitor = new ScimTokenExpiryMonitor(this, 'Monitor', {
      ...config.monitor,
      ...(config.eventBusName
        ? { eventBus: events.EventBus.fromEventBusName(this, 'AlertBus', config.eventBusName) }
        : {}),
    });

    new CfnOutput(this, 'AlertTopicArn', {
      description: 'SNS topic that receives every alert: subscribe email, chat or paging endpoints to it',
      value: this.monitor.alertTopic.topicArn,
    });
    new CfnOutput(this, 'RegistryPrefix', {
      description: 'Register each SCIM token as one SSM parameter under this path',
      value: this.monitor.parameterPrefix,
    });
    new CfnOutput(this, 'LogGroupName', {
      description: 'Follow runs: aws logs tail <this> --follow',
      value: this.monitor.logGroup.logGroupName,
    });
    new CfnOutput(this, 'DashboardUrl', {
      description: "Days to expiry of every token, runs, alerts and the monitor's alarms",
      value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${this.monitor.dashboard.dashboardName}`,
    });
    new CfnOutput(this, 'FunctionName', {
      description: 'Run a check now: aws lambda invoke --function-name <this> /dev/stdout',
      value: this.monitor.function.functionName,
    });
  }
}
