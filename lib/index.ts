/**
 * scim-token-monitor as a library: the construct to add to an existing CDK stack, and the
 * deployable stack itself.
 */

export { CONTEXT_KEYS, type MonitorStackConfig, readStackConfig } from './config';
export { ScimTokenMonitorStack, type ScimTokenMonitorStackProps } from './monitor-stack';
export {
  DEFAULT_PARAMETER_PREFIX,
  DEFAULT_SCHEDULE,
  DEFAULT_THRESHOLDS_DAYS,
  DEFAULT_VALIDITY_DAYS,
  type ScimTokenExpiryMonitorProps,
} from './props';
export { ScimTokenExpiryMonitor } from './scim-token-expiry-monitor';
