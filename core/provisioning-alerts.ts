/**
 * The opt-in provisioning alerts, decided from what a run read of CloudTrail's SCIM calls:
 * `scim-calls-failing` when more than `failuresAbove` calls failed in the run's window (grouped by
 * error code: attribute-mapping errors are what identity teams fix most), and `scim-calls-silent`
 * when no successful call was seen for `silentHours` (off by default: a quiet Okta tenant is not a
 * broken one). Both are warnings. Pure: the keys make them exactly-once through the ledger.
 */
import { type AlertOrigin, originFields } from './alert';
import { humanInstant } from './dates';
import type { PlannedAlert } from './plan';
import type { ScimCall, Window } from './provisioning';
import type { ProvisioningView } from './provisioning-view';
import { oneLine } from './text';

export interface ProvisioningAlertSettings {
  /** Alert when more than this many SCIM calls failed in one run's window. */
  readonly failuresAbove?: number;
  /** Alert when no successful SCIM call was seen for this many hours. */
  readonly silentHours?: number;
}

/** At most this many error codes are named; the rest are counted. */
const MAX_CODES = 5;

/** `ValidationException ×12 (latest: PatchUser, "List attribute emails exceeds allowed limit of 1")`, … */
export function failureSummary(failed: readonly ScimCall[]): string {
  const byCode = new Map<string, ScimCall[]>();
  for (const c of failed) byCode.set(c.errorCode ?? '-', [...(byCode.get(c.errorCode ?? '-') ?? []), c]);
  const groups = [...byCode.entries()].sort(([, a], [, b]) => b.length - a.length);
  const named = groups.slice(0, MAX_CODES).map(([code, calls]) => {
    const latest = calls.reduce((a, b) => (b.at > a.at ? b : a));
    const message = latest.errorMessage ? `, "${oneLine(latest.errorMessage, 120)}"` : '';
    return `${oneLine(code, 64)} ×${calls.length} (latest: ${oneLine(latest.operation, 64)} at ${humanInstant(latest.at)}${message})`;
  });
  const more = groups.length > MAX_CODES ? [`and ${groups.length - MAX_CODES} more error codes`] : [];
  return [...named, ...more].join('; ');
}

/**
 * The alerts this run's reading calls for. `window` is what was read (absent: nothing new), `view`
 * the tenant's record after it, `now` the run's instant.
 */
export function provisioningAlerts(
  settings: ProvisioningAlertSettings,
  window: Window | undefined,
  view: ProvisioningView | undefined,
  now: Date,
  origin: AlertOrigin,
): PlannedAlert[] {
  const alerts: PlannedAlert[] = [];
  const base = { severity: 'warning' as const, evaluatedAt: now, ...originFields(origin) };
  if (settings.failuresAbove !== undefined && window) {
    const byTenant = new Map<string, ScimCall[]>();
    for (const c of window.calls) {
      if (c.errorCode) byTenant.set(c.tenantId, [...(byTenant.get(c.tenantId) ?? []), c]);
    }
    for (const [tenant, failed] of byTenant) {
      if (failed.length <= settings.failuresAbove) continue;
      const atLeast = window.complete ? '' : 'at least ';
      alerts.push({
        // The window's start is stable until the record moves past it, which it does only once
        // this alert is delivered: a retried run claims the same key.
        key: `provisioning/${tenant}/failing/${window.from.toISOString()}`,
        alert: {
          ...base,
          alertType: 'scim-calls-failing',
          failedCalls: { count: failed.length, atLeast: !window.complete },
          reason: `${atLeast}${failed.length} SCIM calls failed between ${humanInstant(window.from)} and ${humanInstant(window.to)} (tenant ${oneLine(tenant, 64)}): ${failureSummary(failed)}`,
          ...(view?.tenantId === tenant ? { provisioning: view } : {}),
        },
      });
    }
  }
  const hours = settings.silentHours;
  if (hours !== undefined && view?.observedSince) {
    const since = view.lastSuccess?.at ?? view.observedSince;
    const quietMs = now.getTime() - new Date(since).getTime();
    if (quietMs >= hours * 3_600_000) {
      alerts.push({
        // Once per silence: a new success starts a new one.
        key: `provisioning/${view.tenantId || '-'}/silent/${view.lastSuccess?.at ?? 'never'}`,
        alert: {
          ...base,
          alertType: 'scim-calls-silent',
          reason: view.lastSuccess
            ? `No successful SCIM call for ${Math.floor(quietMs / 3_600_000)} hours: the last was at ${humanInstant(new Date(view.lastSuccess.at))} (${view.lastSuccess.operation}).`
            : `No successful SCIM call seen since ${humanInstant(new Date(view.observedSince))}, as far back as CloudTrail's Event history goes. If the IAM Identity Center instance belongs to another account, this monitor cannot see its calls: deploy it there, or turn this alert off.`,
          provisioning: view,
        },
      });
    }
  }
  return alerts;
}
