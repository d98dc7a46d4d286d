/**
 * An alert as data for programs: the JSON payload (SNS `sqs`/`lambda`/`email-json` bodies,
 * EventBridge `detail`) and the SNS message attributes that filter policies match.
 */
import type { Alert } from './alert';
import { isoDate } from './dates';
import type { AlertAttributes, AlertPayload } from './payload';
import { providerFor } from './providers';
import { oneLine } from './text';

export function payloadOf(alert: Alert): AlertPayload {
  const token = alert.token;
  const expiresAt = token?.expiresAt ?? alert.announcedExpiry;
  return {
    schemaVersion: 1,
    alertType: alert.alertType,
    severity: alert.severity,
    tokenName: alert.tokenName ?? null,
    parameterName: alert.parameterName ?? null,
    daysRemaining: alert.daysRemaining ?? null,
    threshold: alert.threshold ?? null,
    expiresAt: expiresAt ? expiresAt.toISOString() : null,
    expiryDate: expiresAt ? isoDate(expiresAt) : null,
    createdAt: token?.createdAt ? token.createdAt.toISOString() : null,
    tokenId: token?.tokenId ?? null,
    tokenSource: token?.source ?? null,
    identityProvider: token?.identityProvider ?? null,
    owner: token?.owner ?? null,
    notes: token?.notes ?? null,
    reason: alert.reason ?? null,
    account: alert.account ?? null,
    region: alert.region,
    instance: alert.instance
      ? { instanceArn: alert.instance.instanceArn, identityStoreId: alert.instance.identityStoreId ?? null }
      : null,
    consoleUrl: alert.consoleUrl,
    evaluatedAt: alert.evaluatedAt.toISOString(),
    reminder: alert.reminder ?? null,
    ...(alert.previousExpiry ? { previousExpiresAt: alert.previousExpiry.toISOString() } : {}),
    ...(alert.digest ? { digest: alert.digest } : {}),
    ...(alert.digestOmitted ? { digestOmitted: alert.digestOmitted } : {}),
  };
}

export function attributesOf(alert: Alert): AlertAttributes {
  const owner = alert.token?.owner ? oneLine(alert.token.owner, 256) : '';
  return {
    alertType: alert.alertType,
    severity: alert.severity,
    ...(alert.tokenName ? { tokenName: alert.tokenName } : {}),
    ...(alert.daysRemaining === undefined ? {} : { daysRemaining: alert.daysRemaining }),
    ...(alert.threshold === undefined ? {} : { threshold: alert.threshold }),
    ...(alert.reminder ? { reminder: alert.reminder } : {}),
    // Only printable text: a filter policy matches exact strings, and SNS refuses empty values.
    ...(owner ? { owner } : {}),
    ...(alert.token?.identityProvider
      ? { identityProvider: providerFor(alert.token.identityProvider).id }
      : {}),
  };
}
