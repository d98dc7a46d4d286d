import { Annotations, CfnOutput, Fn, Stack, type StackProps } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as events from 'aws-cdk-lib/aws-events';
import * as kms from 'aws-cdk-lib/aws-kms';
import type { Construct } from 'constructs';
import { OUTPUTS } from '../core/contract';
import { ScimTokenExpiryMonitor } from '../lib/scim-token-expiry-monitor';
import type { MonitorStackConfig, VpcPlacementConfig } from './config';

export interface ScimTokenMonitorStackProps extends StackProps {
  /** Parsed context: see `readStackConfig`. */
  readonly config: MonitorStackConfig;
}

/** The VPC, subnets and security groups named in context, as constructs (no lookup: IDs only). */
function vpcPlacement(scope: Construct, c: VpcPlacementConfig) {
  // The functions need only the subnets, never their route tables: CDK's warning about imported
  // subnets without one does not apply.
  Annotations.of(scope).acknowledgeWarning(
    '@aws-cdk/aws-ec2:noSubnetRouteTableId',
    'The functions are placed in the subnets; no route table is read or changed.',
  );
  const vpc = ec2.Vpc.fromVpcAttributes(scope, 'Vpc', {
    vpcId: c.vpcId,
    availabilityZones: c.subnetIds.map((_, i) => Fn.select(i, Fn.getAzs())),
    privateSubnetIds: [...c.subnetIds],
  });
  return {
    vpc,
    vpcSubnets: { subnets: c.subnetIds.map((id) => ec2.Subnet.fromSubnetId(scope, `Subnet-${id}`, id)) },
    ...(c.securityGroupIds.length > 0
      ? {
          securityGroups: c.securityGroupIds.map((id) =>
            ec2.SecurityGroup.fromSecurityGroupId(scope, `SecurityGroup-${id}`, id),
          ),
        }
      : {}),
  };
}

/** The deployable app: one monitor, configured from context, and the outputs operators need. */
export class ScimTokenMonitorStack extends Stack {
  public readonly monitor: ScimTokenExpiryMonitor;

  constructor(scope: Construct, id: string, props: ScimTokenMonitorStackProps) {
    super(scope, id, props);
    const { config } = props;
    this.monitor = new ScimTokenExpiryMonitor(this, 'Monitor', {
      ...config.monitor,
      ...(config.vpc ? vpcPlacement(this, config.vpc) : {}),
      ...(config.eventBusName
        ? { eventBus: events.EventBus.fromEventBusName(this, 'AlertBus', config.eventBusName) }
        : {}),
      ...(config.monitor.slackWebhook && config.slackWebhookSecretKeyArn
        ? {
            slackWebhook: {
              ...config.monitor.slackWebhook,
              key: kms.Key.fromKeyArn(this, 'SlackWebhookSecretKey', config.slackWebhookSecretKeyArn),
            },
          }
        : {}),
    });

    new CfnOutput(this, OUTPUTS.alertTopicArn, {
      description: 'SNS topic that receives every alert: subscribe email, chat or paging endpoints to it',
      value: this.monitor.alertTopic.topicArn,
    });
    new CfnOutput(this, OUTPUTS.registryPrefix, {
      description: 'Register each SCIM token as one SSM parameter under this path',
      value: this.monitor.parameterPrefix,
    });
    new CfnOutput(this, OUTPUTS.ledgerTableName, {
      description: "The monitor's DynamoDB ledger (alert state): the CLI reads it for status and remove",
      value: this.monitor.ledger.tableName,
    });
    if (this.monitor.tokenKey) {
      new CfnOutput(this, OUTPUTS.tokenKeyArn, {
        description: 'The KMS key for probed tokens: register --store-token encrypts with it',
        value: this.monitor.tokenKey.keyArn,
      });
    }
    new CfnOutput(this, OUTPUTS.logGroupName, {
      description: 'Follow runs: aws logs tail <this> --follow',
      value: this.monitor.logGroup.logGroupName,
    });
    const dashboard = this.monitor.dashboard;
    if (dashboard) {
      new CfnOutput(this, OUTPUTS.dashboardUrl, {
        description: "Tokens inside each threshold, runs, alerts and the monitor's alarms",
        value: `https://console.aws.amazon.com/cloudwatch/home?region=${this.region}#dashboards:name=${dashboard.dashboardName}`,
      });
    }
    new CfnOutput(this, OUTPUTS.functionName, {
      description: 'Run a check now: aws lambda invoke --function-name <this> /dev/stdout',
      value: this.monitor.function.functionName,
    });
  }
}
