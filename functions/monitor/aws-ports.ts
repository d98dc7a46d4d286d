/**
 * The Lambda's ports, plugged into AWS: SSM, the ledger table, IAM Identity Center and the topic
 * to read; the ledger to claim and commit; SNS and EventBridge to send. Its own module, so that
 * whoever imports the evaluation (the CLI's offline commands) does not load the SDK clients.
 */
import { ENTRY_RETRY_DELAYS_MS } from '../../adapters/client-config';
import { putAlertEvents } from '../../adapters/eventbridge';
import { dynamoLedger, readStates } from '../../adapters/ledger';
import { probeScimToken, type ScimEndpoint } from '../../adapters/scim';
import { publishAlerts, topicSubscribers } from '../../adapters/sns';
import { readSecureValue, registryPages } from '../../adapters/ssm';
import { listInstances } from '../../adapters/sso-admin';
import type { Ledger, MonitorSources, Sinks, TokenChecker } from '../../core/ports';

/**
 * Where a run reads: the registry, the ledger's state, the instances, (with a topic) its
 * subscriptions, and (when provisioning is observed) CloudTrail's SCIM calls.
 */
export function awsSources(
  ledgerTable: string,
  topicArn?: string,
  options: { readonly scimCalls?: boolean } = {},
): MonitorSources {
  return {
    registryPages,
    readStates: (keys) => readStates(ledgerTable, keys),
    listInstances,
    ...(topicArn ? { topicSubscribers: () => topicSubscribers(topicArn) } : {}),
    // Loaded when called: the CLI, which imports this module, never reads CloudTrail.
    ...(options.scimCalls
      ? { scimCalls: async (...a) => (await import('../../adapters/cloudtrail')).lookupScimCalls(...a) }
      : {}),
  };
}

export function awsLedger(ledgerTable: string): Ledger {
  return dynamoLedger(ledgerTable);
}

export function awsSinks(topicArn: string, eventBus: string): Sinks {
  return {
    sns: (messages) => publishAlerts(topicArn, messages),
    events: (payloads, time) => putAlertEvents(eventBus, payloads, time),
  };
}

export { ENTRY_RETRY_DELAYS_MS };

/** The probe's checker: reads the SecureString (decrypted, never logged) and asks the pinned endpoint. */
export function awsTokenChecker(endpoint: ScimEndpoint): TokenChecker {
  return {
    async check(parameterName, timeoutMs) {
      const result = await probeScimToken(endpoint, await readSecureValue(parameterName), timeoutMs);
      const outcome =
        result.outcome === 'accepted' || result.outcome === 'rejected' ? result.outcome : 'inconclusive';
      return { outcome, ...(result.status === undefined ? {} : { status: result.status }) };
    },
  };
}
