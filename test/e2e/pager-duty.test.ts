/**
 * PagerDuty through the bundle and the synthesized rules: the monitor's events for a token that
 * reaches its final day and is then rotated, run through the rules' patterns and input
 * transformers exactly as synthesized, make one incident: a trigger with the alert JSON, and a
 * resolve with the same `dedup_key` once the token is rotated. The routing key never appears in
 * the template (only a reference to the secret), and reaches PagerDuty as the connection's
 * secret body parameter.
 */
import { invokeBundle } from '../../tools/bundle';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { eventOf, matches, transform } from '../support/eventbridge';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';
import { synthStack } from '../support/stack';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;

useMonitor({ registry: 'empty' });

type Rule = {
  Properties: {
    EventPattern: Record<string, unknown>;
    Targets: Array<{
      Arn: unknown;
      InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
    }>;
  };
};

it('opens one incident per token lifecycle on the page, and resolves it when the token is rotated', async () => {
  const { template } = synthStack({ pagerDutySecretName: 'platform/pagerduty' });
  const json = JSON.stringify(template.toJSON());
  // The routing key is only referenced: CloudFormation resolves it at deploy, EventBridge keeps it.
  template.hasResourceProperties('AWS::Events::Connection', {
    AuthorizationType: 'API_KEY',
    AuthParameters: {
      InvocationHttpParameters: {
        BodyParameters: [
          {
            Key: 'routing_key',
            IsValueSecret: true,
            Value: '{{resolve:secretsmanager:platform/pagerduty:SecretString:::}}',
          },
        ],
      },
    },
  });
  template.hasResourceProperties('AWS::Events::ApiDestination', {
    InvocationEndpoint: 'https://events.pagerduty.com/v2/enqueue',
    HttpMethod: 'POST',
  });
  expect(json.match(/platform\/pagerduty/g)).toHaveLength(2);
  const rules = Object.values(template.findResources('AWS::Events::Rule')) as Rule[];
  const pagerRules = rules.filter((r) => JSON.stringify(r.Properties.Targets).includes('ApiDestination'));
  expect(pagerRules).toHaveLength(2);

  // A token on its final day, then rotated the next morning (before it expires at noon).
  aws.put(`${prefix}okta-prod`, '{"expiresAt":"2027-01-15T12:00:00Z","owner":"identity-team"}');
  await aws.dynamodb.putState(
    'token/okta-prod',
    JSON.stringify({
      expiresAt: '2027-01-15T12:00:00.000Z',
      alertedThresholds: [60, 30, 7],
      expiredAlerted: false,
    }),
  );
  await invokeBundle(bundle, [scheduledEvent('2027-01-14T08:00:00Z')], env);
  aws.put(
    `${prefix}okta-prod`,
    '{"createdAt":"2027-01-15","owner":"identity-team"}',
    'String',
    new Date('2027-01-15T07:00:00Z'),
  );
  await invokeBundle(bundle, [scheduledEvent('2027-01-15T08:00:00Z')], env);
  const events = aws.events.map((e) => eventOf(e));
  expect(events.map((e) => `${e.detail.alertType} ${e.detail.severity}`)).toEqual([
    'expiry-warning critical',
    'token-rotated info',
  ]);

  // Each event through each rule, as EventBridge would: what PagerDuty receives (the connection
  // adds routing_key to each body).
  const sent = events.flatMap((e) =>
    pagerRules
      .filter((r) => matches(r.Properties.EventPattern, e as unknown as Record<string, unknown>))
      .map((r) =>
        transform((r.Properties.Targets[0] as Rule['Properties']['Targets'][number]).InputTransformer, e),
      ),
  ) as Array<Record<string, unknown>>;
  expect(sent).toEqual([
    {
      event_action: 'trigger',
      dedup_key: 'scim-token-monitor/123456789012/okta-prod/2027-01-15T12:00:00.000Z',
      payload: expect.objectContaining({
        source: 'scim-token-monitor',
        severity: 'critical',
        component: 'okta-prod',
        custom_details: expect.objectContaining({
          alertType: 'expiry-warning',
          owner: 'identity-team',
          daysRemaining: 1,
        }),
      }),
      links: [
        {
          href: expect.stringMatching(/^https:\/\/console\.aws\.amazon\.com\//),
          text: 'IAM Identity Center',
        },
      ],
    },
    {
      event_action: 'resolve',
      dedup_key: 'scim-token-monitor/123456789012/okta-prod/2027-01-15T12:00:00.000Z',
    },
  ]);
  // A warning that can wait pages nobody.
  const warning = { ...events[0], detail: { ...events[0]?.detail, severity: 'warning' } };
  expect(
    pagerRules.some((r) => matches(r.Properties.EventPattern, warning as unknown as Record<string, unknown>)),
  ).toBe(false);
});
