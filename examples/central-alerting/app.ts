#!/usr/bin/env node
/**
 * Running at scale: one monitor in each account where IAM Identity Center lives, all alerting
 * to one central topic and bus in a monitoring account.
 */
import { App, CfnOutput, Stack } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ScimTokenExpiryMonitor } from 'scim-token-monitor';

const region = 'eu-west-1';
const MONITORING = '222222222222';
const IDENTITY_ACCOUNTS = ['111111111111', '333333333333'];
/** The central key, as the CentralScimAlerts stack outputs it after its first deploy. */
const CENTRAL_KEY_ARN = `arn:aws:kms:${region}:${MONITORING}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const app = new App();

// In the monitoring account: the central topic and bus, open to the monitors' accounts.
const central = new Stack(app, 'CentralScimAlerts', { env: { account: MONITORING, region } });
const key = new kms.Key(central, 'AlertsKey', { enableKeyRotation: true });
const topic = new sns.Topic(central, 'ScimTokenAlerts', {
  topicName: 'scim-token-alerts',
  masterKey: key,
  enforceSSL: true,
});
const bus = new events.EventBus(central, 'AlertsBus', { eventBusName: 'scim-token-alerts' });
for (const account of IDENTITY_ACCOUNTS) {
  // Only the monitors' own roles (their names start with the monitor stack's name): the monitor
  // function, and the alarm relay that publishes the monitor's own alarms ("the monitor is dead").
  const monitorRoles = {
    ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${account}:role/ScimTokenMonitor-${account}-*` },
  };
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `MonitorsOf${account}Publish`,
      actions: ['sns:Publish'],
      principals: [new iam.AccountPrincipal(account)],
      resources: [topic.topicArn],
      conditions: monitorRoles,
    }),
  );
  key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `MonitorsOf${account}EncryptThroughSns`,
      actions: ['kms:GenerateDataKey*', 'kms:Decrypt'],
      principals: [new iam.AccountPrincipal(account)],
      resources: ['*'],
      conditions: { ...monitorRoles, StringEquals: { 'kms:ViaService': `sns.${region}.amazonaws.com` } },
    }),
  );
  bus.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: `MonitorsOf${account}PutEvents`,
      actions: ['events:PutEvents'],
      principals: [new iam.AccountPrincipal(account)],
      resources: [bus.eventBusArn],
      // events:source has a value per entry of the PutEvents call: every one must be the monitor's
      // (ForAllValues), and there must be one (Null false: ForAllValues alone admits none).
      conditions: {
        ...monitorRoles,
        'ForAllValues:StringEquals': { 'events:source': ['scim-token-monitor'] },
        Null: { 'events:source': 'false' },
      },
    }),
  );
}

// In each account where IAM Identity Center lives: a monitor publishing to the central topic.
for (const account of IDENTITY_ACCOUNTS) {
  const stack = new Stack(app, `ScimTokenMonitor-${account}`, { env: { account, region } });
  new ScimTokenExpiryMonitor(stack, 'Monitor', {
    alertTopic: sns.Topic.fromTopicArn(
      stack,
      'CentralTopic',
      `arn:aws:sns:${region}:${MONITORING}:scim-token-alerts`,
    ),
    // The central topic's key (its ARN is an output of CentralScimAlerts): both publishers may use it through SNS.
    alertTopicKey: kms.Key.fromKeyArn(stack, 'CentralKey', CENTRAL_KEY_ARN),
    eventBus: events.EventBus.fromEventBusArn(
      stack,
      'CentralBus',
      `arn:aws:events:${region}:${MONITORING}:event-bus/scim-token-alerts`,
    ),
  });
}

new CfnOutput(central, 'AlertsKeyArn', { value: key.keyArn });

app.synth();
