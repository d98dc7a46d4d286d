/**
 * Deployable, but probably not what was meant: synth warnings (CDK annotations), not errors.
 */
import { Annotations, Stack, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import { parseScimEndpoint } from '../core/scim-endpoint';
import type { ScimTokenExpiryMonitorProps } from './props';

export function warnAboutDeployability(
  scope: Construct,
  props: ScimTokenExpiryMonitorProps,
  logRetention: logs.RetentionDays,
): void {
  const annotations = Annotations.of(scope);
  const chat = props.slack || props.teams || props.slackWebhook;
  if (!props.alertTopic && (props.alertEmails ?? []).length === 0 && !chat) {
    annotations.addWarningV2(
      'scim-token-monitor:no-subscriber',
      'Nobody will receive an alert: no alertEmails, no Slack or Teams channel, no webhook and no alertTopic. Set -c alertEmails=oncall@example.com (or another channel), or subscribe to the AlertTopicArn output after deploying.',
    );
  }
  if (logRetention !== logs.RetentionDays.INFINITE && logRetention < logs.RetentionDays.ONE_YEAR) {
    annotations.addWarningV2(
      'scim-token-monitor:log-retention',
      `Logs are kept ${logRetention} days: AWS Control Tower's CT.CLOUDWATCH.PR.2 refuses log groups kept less than a year (365 days).`,
    );
  }
  // SCIM works only in the instance's primary region; the monitor usually lives there too.
  const region = Stack.of(scope).region;
  const endpoint = props.probe?.scimEndpoint;
  if (endpoint && !Token.isUnresolved(endpoint) && !Token.isUnresolved(region)) {
    // Validated with the probe (probeProblems): the pinned parser reads its region.
    const endpointRegion = parseScimEndpoint(endpoint).region;
    if (endpointRegion !== region) {
      annotations.addWarningV2(
        'scim-token-monitor:scim-endpoint-region',
        `probe.scimEndpoint is in ${endpointRegion} but the monitor deploys to ${region}: SCIM works only in the IAM Identity Center instance's primary region, so use that region's endpoint (and deploy the monitor there, where ListInstances and AWS Health see the instance).`,
      );
    }
  }
  // A topic imported by ARN: its policy (and key) are out of this app's reach, so say what they
  // must allow, or every alert and every alarm fails to publish (and the relay's alarm with them).
  if (props.alertTopic && !(props.alertTopic instanceof sns.Topic)) {
    annotations.addWarningV2(
      'scim-token-monitor:existing-topic-policy',
      `alertTopic ${props.alertTopic.node.path} is imported: its policy must allow sns:Publish to the monitor's two publisher roles (the function's and the alarm relay's: publisherRoles, and \`scim-token-monitor doctor\` lists them once deployed)${props.alertTopicKey ? ', and its key kms:GenerateDataKey* and kms:Decrypt to both through SNS' : ', and, if it is encrypted with a customer-managed key, pass that key as alertTopicKey and let both roles use it through SNS'}. No CloudWatch principal is needed. See docs/governed-organizations.md#an-existing-topic.`,
    );
  }
  if (props.vpc && props.runOnDeploy) {
    annotations.addWarningV2(
      'scim-token-monitor:run-on-deploy-in-vpc',
      'runOnDeploy answers CloudFormation on an S3 presigned URL: in these subnets the function needs a route to S3 (a NAT gateway, or an S3 gateway endpoint), or the deployment waits an hour for an answer and fails.',
    );
  }
}
