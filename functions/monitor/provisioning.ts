/**
 * Provisioning observed, in a run: read the record, read the SCIM calls since its watermark from
 * CloudTrail's Event history (bounded), fold them (core/provisioning.ts), and hand back the new
 * record as a commit and the view alerts show. The record is written with the run's other state,
 * after its alerts are delivered, and only if nobody wrote it meanwhile (an overlapping run).
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import type { AlertOrigin } from '../../core/alert';
import type { PlannedAlert } from '../../core/plan';
import type { MonitorSources } from '../../core/ports';
import {
  foldWindow,
  nextWindow,
  PROVISIONING_STATE_KEY,
  type ProvisioningRecord,
  parseProvisioningRecord,
  type Window,
} from '../../core/provisioning';
import { type ProvisioningAlertSettings, provisioningAlerts } from '../../core/provisioning-alerts';
import { type ProvisioningView, provisioningView } from '../../core/provisioning-view';
import type { Commit } from '../../core/state';

type Log = Pick<Logger, 'info' | 'warn'>;

/** What a run learned of provisioning. */
export interface Observation {
  readonly view?: ProvisioningView;
  /** The opt-in provisioning alerts it calls for. */
  readonly alerts: readonly PlannedAlert[];
  /** The record to write once those alerts are delivered (absent: nothing new was read). */
  readonly commit?: Commit;
}

export interface ObserveOptions {
  readonly now: Date;
  readonly maxPages: number;
  /** The run's wall clock (milliseconds) and the instant it must stop reading by. */
  readonly clock: () => number;
  readonly deadline: number;
  /** The tenant of the configured SCIM endpoint, if any: the one alerts show. */
  readonly tenantId?: string;
  /** The opt-in alerts, and where alerts come from. */
  readonly alerts: ProvisioningAlertSettings;
  readonly origin: AlertOrigin;
}

/** The stored record, and its JSON as stored (what an optimistic write expects to replace). */
export async function readProvisioning(
  sources: Pick<MonitorSources, 'readStates'>,
): Promise<{ readonly stored?: string; readonly record: ProvisioningRecord }> {
  const stored = (await sources.readStates([PROVISIONING_STATE_KEY])).get(PROVISIONING_STATE_KEY);
  return { ...(stored !== undefined ? { stored } : {}), record: parseProvisioningRecord(stored) };
}

export async function observeProvisioning(
  sources: MonitorSources,
  options: ObserveOptions,
  log: Log,
): Promise<Observation> {
  const { stored, record: before } = await readProvisioning(sources);
  const window = nextWindow(before, options.now);
  let after: ProvisioningRecord = before;
  let read: Window | undefined;
  if (window && sources.scimCalls) {
    try {
      const got = await sources.scimCalls(window.from, window.to, {
        maxPages: options.maxPages,
        clock: options.clock,
        deadline: options.deadline,
      });
      read = got;
      after = foldWindow(before, got);
      log.info('SCIM calls read from CloudTrail', {
        from: window.from.toISOString(),
        to: window.to.toISOString(),
        calls: got.calls.length,
        pages: got.pages,
        complete: got.complete,
      });
      if (!got.complete) {
        log.warn(
          'more SCIM calls than a run reads: the oldest of the window were not read (counts are lower bounds)',
          {
            cut: after.cut,
          },
        );
      }
    } catch (error) {
      // Provisioning is observed, never depended on: the run goes on with what it had.
      log.warn('reading SCIM calls from CloudTrail failed; alerts show what was recorded before', {
        error: (error as Error).name,
        message: (error as Error).message,
      });
    }
  }
  const view = provisioningView(after, options.tenantId);
  const alerts = provisioningAlerts(options.alerts, read, view, options.now, options.origin);
  return {
    ...(view ? { view } : {}),
    alerts,
    ...(after !== before
      ? {
          commit: {
            write: { key: PROVISIONING_STATE_KEY, state: after, expected: stored ?? null },
            after: alerts.map((a) => a.key),
          },
        }
      : {}),
  };
}

/** The alerts a view speaks to: those about a token's expiry or rotation. */
const SPOKEN = new Set(['expiry-warning', 'expired', 'token-rotated', 'token-rejected']);

/**
 * The plan's alerts, each token alert carrying what the events say of provisioning. Only once a
 * SCIM call has been seen here: a monitor that never saw one (the instance in another account, or
 * tokens from before September 2024 whose calls are not logged) has nothing to say about them.
 */
export function withProvisioning(
  alerts: readonly PlannedAlert[],
  view: ProvisioningView | undefined,
): PlannedAlert[] {
  if (!view?.lastCall) return [...alerts];
  return alerts.map((a) =>
    SPOKEN.has(a.alert.alertType) ? { ...a, alert: { ...a.alert, provisioning: view } } : a,
  );
}
