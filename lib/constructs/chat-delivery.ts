/**
 * Chat delivery: Slack and Microsoft Teams channels through AWS Chatbot (notifications only),
 * and an optional forwarder that posts every alert to a Slack incoming webhook.
 */
import { Duration, Names, Validations } from 'aws-cdk-lib';
import * as chatbot from 'aws-cdk-lib/aws-chatbot';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as kms from 'aws-cdk-lib/aws-kms';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as logs from 'aws-cdk-lib/aws-logs';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { POWERTOOLS_ENV, SERVICE_NAMES, SLACK_ENV } from '../../core/contract';
import { functionBase } from '../assets';
import { viaService } from '../keys';
import { monitorLogGroup } from '../logs';
import { nagArnHead } from '../nag';
import { acknowledgeVpcAccess, type Placement, placementProps } from '../placement';
import type { ScimTokenExpiryMonitorProps, SlackWebhook } from '../props';

/** The chat settings are the monitor's own (documented in props.ts), plus what they deliver from. */
export interface ChatDeliveryProps
  extends Pick<ScimTokenExpiryMonitorProps, 'slack' | 'teams' | 'slackWebhook'>,
    Placement {
  /** The topic whose messages are delivered to chat. */
  readonly alertTopic: sns.ITopic;
  /** Where failed forwarder invocations and SNS deliveries go. */
  readonly deadLetterQueue: sqs.IQueue;
  /** How long the forwarder's logs are kept. */
  readonly logRetention: logs.RetentionDays;
  /** Encrypts the forwarder's log group. */
  readonly logsKey: kms.IKey;
}

export class ChatDelivery extends Construct {
  /** The Chatbot Slack channel, when configured. */
  public readonly slackChannel?: chatbot.ISlackChannelConfiguration;
  /** The Chatbot Microsoft Teams channel, when configured. */
  public readonly teamsChannel?: chatbot.CfnMicrosoftTeamsChannelConfiguration;
  /** The Slack webhook forwarder, when `slackWebhook` is set. */
  public readonly slackForwarder?: lambda.IFunction;

  constructor(scope: Construct, id: string, props: ChatDeliveryProps) {
    super(scope, id);
    ({ slack: this.slackChannel, teams: this.teamsChannel } = this.createChatChannels(props));
    if (props.slackWebhook) {
      this.slackForwarder = this.createSlackForwarder(props, props.slackWebhook);
    }
  }

  /**
   * Chatbot channels subscribed to the alert topic. Their role has no permission at all and the
   * guardrail denies everything: the channels only read notifications, nobody can run AWS
   * commands from chat through them. (SNS decrypts messages before it delivers them, so Chatbot
   * needs no access to the topic key.)
   */
  private createChatChannels(props: ChatDeliveryProps): {
    slack?: chatbot.SlackChannelConfiguration;
    teams?: chatbot.CfnMicrosoftTeamsChannelConfiguration;
  } {
    const { slack: wantSlack, teams: wantTeams } = props;
    if (!wantSlack && !wantTeams) return {};
    // No confused-deputy condition on the trust: Chatbot's documentation does not say which
    // source keys it sends when it assumes a channel role, and a condition it does not meet would
    // silently stop every chat alert. The role grants nothing and the guardrail denies everything,
    // so whoever got Chatbot to assume it would gain no permission.
    const role = new iam.Role(this, 'ChatbotRole', {
      assumedBy: new iam.ServicePrincipal('chatbot.amazonaws.com'),
      description: 'SCIM token monitor chat channels: notifications only, no permissions',
    });
    const denyAll = iam.ManagedPolicy.fromAwsManagedPolicyName('AWSDenyAll');
    const name = (id: string) =>
      `${Names.uniqueResourceName(this, { maxLength: 100, separator: '-' })}-${id}`;
    const slack = wantSlack
      ? new chatbot.SlackChannelConfiguration(this, 'SlackChannel', {
          slackChannelConfigurationName: name('slack'),
          slackWorkspaceId: wantSlack.workspaceId,
          slackChannelId: wantSlack.channelId,
          notificationTopics: [props.alertTopic],
          role,
          guardrailPolicies: [denyAll],
          userRoleRequired: false,
        })
      : undefined;
    const teams = wantTeams
      ? new chatbot.CfnMicrosoftTeamsChannelConfiguration(this, 'TeamsChannel', {
          configurationName: name('teams'),
          teamId: wantTeams.teamId,
          teamsChannelId: wantTeams.channelId,
          teamsTenantId: wantTeams.tenantId,
          iamRoleArn: role.roleArn,
          snsTopicArns: [props.alertTopic.topicArn],
          guardrailPolicies: [denyAll.managedPolicyArn],
          userRoleRequired: false,
        })
      : undefined;
    return { ...(slack ? { slack } : {}), ...(teams ? { teams } : {}) };
  }

  /** Posts every message on the topic to a Slack incoming webhook whose URL is in Secrets Manager. */
  private createSlackForwarder(props: ChatDeliveryProps, webhook: SlackWebhook): lambda.Function {
    const secretName = webhook.secretName;
    const secret = secretsmanager.Secret.fromSecretNameV2(this, 'SlackWebhookSecret', secretName);
    const logGroup = monitorLogGroup(this, 'SlackForwarderLogGroup', props.logRetention, props.logsKey);
    const role = new iam.Role(this, 'SlackForwarderRole', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: 'SCIM token monitor Slack forwarder: reads the webhook secret, writes its logs',
    });
    logGroup.grantWrite(role);
    secret.grantRead(role);
    // A secret under a customer-managed key: decrypt with it only through Secrets Manager, and
    // only for this secret (Secrets Manager puts its ARN in the encryption context).
    if (webhook.key) {
      role.addToPolicy(
        new iam.PolicyStatement({
          sid: 'DecryptTheWebhookSecret',
          actions: ['kms:Decrypt'],
          resources: [webhook.key.keyArn],
          conditions: {
            StringEquals: { 'kms:ViaService': viaService(this, 'secretsmanager') },
            StringLike: { 'kms:EncryptionContext:SecretARN': `${secret.secretArn}-??????` },
          },
        }),
      );
    }
    acknowledgeVpcAccess(role, props);
    const forwarder = new lambda.Function(this, 'SlackForwarder', {
      ...functionBase('slack'),
      description: 'Posts SCIM token expiry alerts to a Slack incoming webhook',
      memorySize: 256,
      timeout: Duration.seconds(30),
      role,
      logGroup,
      ...placementProps(props),
      // A failed post is retried twice, then kept in the (alarmed) dead-letter queue.
      retryAttempts: 2,
      deadLetterQueue: props.deadLetterQueue,
      environment: {
        [SLACK_ENV.webhookSecretName]: secretName,
        [POWERTOOLS_ENV.serviceName]: SERVICE_NAMES.slack,
        [POWERTOOLS_ENV.logLevel]: 'INFO',
      },
    });
    // SNS -> Lambda deliveries that fail (e.g. throttled) also end in the dead-letter queue.
    props.alertTopic.addSubscription(
      new subscriptions.LambdaSubscription(forwarder, { deadLetterQueue: props.deadLetterQueue }),
    );
    Validations.of(role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArnHead(this, 'secretsmanager')}:secret:${secretName}-??????]`,
      reason: 'Secrets Manager appends six random characters to a secret ARN; the name is exact.',
    });
    return forwarder;
  }
}
