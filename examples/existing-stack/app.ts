#!/usr/bin/env node
/**
 * The monitor inside a stack you already have, publishing to the alert topic you already use.
 * It imports the construct from the package entry point, as any consumer would.
 */
import { App, Stack } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ScimTokenExpiryMonitor } from 'scim-token-monitor';

const app = new App();
const stack = new Stack(app, 'PlatformAlerting', { env: { account: '111111111111', region: 'eu-west-1' } });

// The platform team's existing alert topic (encrypted, TLS only).
const key = new kms.Key(stack, 'AlertsKey', { enableKeyRotation: true });
const alerts = new sns.Topic(stack, 'PlatformAlerts', {
  displayName: 'Platform alerts',
  masterKey: key,
  enforceSSL: true,
});

new ScimTokenExpiryMonitor(stack, 'ScimTokens', {
  alertTopic: alerts,
  alertEmails: ['platform-team@example.com'],
  thresholdsDays: [45, 14, 3],
  parameterPrefix: '/platform/scim-tokens/',
  // The pager: PagerDuty's Events API, not an HTTPS subscription to the topic (which would
  // receive Chatbot's format). One incident per token, resolved when the token is rotated.
  pagerDuty: { routingKeySecretName: 'platform/pagerduty-routing-key' },
  // The team works in New York: the check runs at 08:00 there.
  scheduleTimeZone: 'America/New_York',
});

app.synth();
