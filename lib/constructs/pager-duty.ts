/**
 * A pager that works: PagerDuty's Events API v2, reached by an EventBridge API destination from
 * the bus that receives every alert as its own event. One incident per token lifecycle
 * (`dedup_key`: the account, the token and its expiry), triggered by the alerts that page
 * (`critical`: the final day, expired, a rejected token) and resolved by the `token-rotated` alert
 * a rotation or a re-registration sends. The body is the alert JSON, in `custom_details`.
 *
 * The routing key is a secret: the template only references it (CloudFormation's dynamic
 * reference to Secrets Manager), and EventBridge keeps it in the connection's own secret. The
 * Events API wants it in the JSON body: it is the connection's secret body parameter
 * `routing_key`, which EventBridge adds to the body it sends; the API key the connection must
 * have is the same value, in a header PagerDuty ignores.
 */
import { Duration, SecretValue } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { MONITOR_EVENTS } from '../../core/contract';

/** PagerDuty's Events API v2. */
export const PAGERDUTY_EVENTS_ENDPOINT = 'https://events.pagerduty.com/v2/enqueue';

export interface PagerDutyDeliveryProps {
  /** The Secrets Manager secret holding the Events API v2 integration's routing key (the string). */
  readonly routingKeySecretName: string;
  /** The bus the monitor puts its alerts on: the rules live there (it must be in this account). */
  readonly eventBus: events.IEventBus;
  /** Deliveries that fail after EventBridge's retries wait here. */
  readonly deadLetterQueue: sqs.IQueue;
}

/** `scim-token-monitor/<account>/<token>/<expiry>`: one incident per token lifecycle. */
const dedupKey = (expiryPath: string) =>
  `scim-token-monitor/${events.EventField.fromPath('$.detail.account')}/${events.EventField.fromPath('$.detail.tokenName')}/${events.EventField.fromPath(expiryPath)}`;

export class PagerDutyDelivery extends Construct {
  public readonly connection: events.Connection;
  public readonly destination: events.ApiDestination;
  /** Pages: the critical alerts about a token. */
  public readonly triggerRule: events.Rule;
  /** Resolves: a token's rotation. */
  public readonly resolveRule: events.Rule;

  constructor(scope: Construct, id: string, props: PagerDutyDeliveryProps) {
    super(scope, id);
    const routingKey = SecretValue.secretsManager(props.routingKeySecretName);
    this.connection = new events.Connection(this, 'Connection', {
      description:
        'PagerDuty Events API v2 for the SCIM token monitor (the routing key, from Secrets Manager)',
      authorization: events.Authorization.apiKey('X-Routing-Key', routingKey),
      bodyParameters: { routing_key: events.HttpParameter.fromSecret(routingKey) },
    });
    this.destination = new events.ApiDestination(this, 'Destination', {
      description: 'PagerDuty Events API v2',
      connection: this.connection,
      endpoint: PAGERDUTY_EVENTS_ENDPOINT,
      httpMethod: events.HttpMethod.POST,
      // PagerDuty allows far more; a flood of alerts cannot be one.
      rateLimitPerSecond: 10,
    });
    const target = (event: events.RuleTargetInput) =>
      new targets.ApiDestination(this.destination, {
        event,
        deadLetterQueue: props.deadLetterQueue,
        retryAttempts: 10,
        maxEventAge: Duration.hours(24),
      });
    const fromMonitor = { source: [MONITOR_EVENTS.source], detailType: [MONITOR_EVENTS.detailType] };
    this.triggerRule = new events.Rule(this, 'Trigger', {
      description: 'Pages PagerDuty on the SCIM token alerts that cannot wait',
      eventBus: props.eventBus,
      eventPattern: {
        ...fromMonitor,
        detail: {
          severity: ['critical'],
          alertType: ['expiry-warning', 'expired', 'token-rejected'],
          tokenName: [{ exists: true }],
        },
      },
      targets: [
        target(
          events.RuleTargetInput.fromObject({
            event_action: 'trigger',
            dedup_key: dedupKey('$.detail.expiresAt'),
            payload: {
              summary: `SCIM token ${events.EventField.fromPath('$.detail.tokenName')}: ${events.EventField.fromPath('$.detail.alertType')}, expiry ${events.EventField.fromPath('$.detail.expiresAt')} (account ${events.EventField.fromPath('$.detail.account')})`,
              source: 'scim-token-monitor',
              severity: 'critical',
              component: events.EventField.fromPath('$.detail.tokenName'),
              custom_details: events.EventField.fromPath('$.detail'),
            },
            links: [{ href: events.EventField.fromPath('$.detail.consoleUrl'), text: 'IAM Identity Center' }],
          }),
        ),
      ],
    });
    this.resolveRule = new events.Rule(this, 'Resolve', {
      description: "Resolves the PagerDuty incident of a SCIM token's previous lifecycle once it is rotated",
      eventBus: props.eventBus,
      eventPattern: { ...fromMonitor, detail: { alertType: ['token-rotated'] } },
      targets: [
        target(
          events.RuleTargetInput.fromObject({
            event_action: 'resolve',
            dedup_key: dedupKey('$.detail.previousExpiresAt'),
          }),
        ),
      ],
    });
  }
}
