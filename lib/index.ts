/**
 * scim-token-monitor as a library: the constructs to add to your own CDK stacks (the monitor, and
 * the AWS Health forwarder for the account that owns IAM Identity Center), their props and the
 * defaults. The deployable app (context parsing, its two stacks) lives in `app/` and `bin/`, and
 * is not part of the package's interface.
 */

export { ScimTokenHealthForwarder, type ScimTokenHealthForwarderProps } from './health-forwarder';
export {
  DEFAULT_PARAMETER_PREFIX,
  DEFAULT_SCHEDULE,
  DEFAULT_THRESHOLDS_DAYS,
  DEFAULT_VALIDITY_DAYS,
  type Organization,
  type PagerDuty,
  type ScimTokenExpiryMonitorProps,
  type SlackChannel,
  type SlackWebhook,
  type StoredTokenProbe,
  type TeamsChannel,
} from './props';
export { ScimTokenExpiryMonitor } from './scim-token-expiry-monitor';
