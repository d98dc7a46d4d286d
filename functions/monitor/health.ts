/**
 * The second entry point of the monitor: an AWS Health notice of a SCIM token expiry, reconciled
 * with the registry. A matching registration (in the notice's account) is recorded as confirmed;
 * an unmatched expiry is adopted and raises an `unregistered-token` alert, and both are committed
 * only once that alert is delivered. The same notice repeating (weekly, then daily) sends nothing
 * again and writes nothing. A notice the monitor cannot read raises `health-notice-unreadable`
 * once, so a change in AWS's wording cannot switch this safety net off unseen.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { ADOPTED_KEY, adopt, adoptedName, parseAdoptedIndex } from '../../core/adoption';
import { isoDate } from '../../core/dates';
import {
  healthStateKey,
  noticeScope,
  parseHealthEvent,
  parseHealthRecord,
  reconcile,
  unreadableNotice,
} from '../../core/health';
import { matchInstance } from '../../core/instances';
import { matchingToken } from '../../core/matching';
import { type Commit, originOf, type PlannedAlert } from '../../core/plan';
import type { MonitorSources } from '../../core/ports';
import { parseRegistration, type Token } from '../../core/registration';
import { ladderOf } from '../../core/severity';
import { type DeliveryContext, type DeliveryResult, deliver } from './deliver';
import { type EvaluationConfig, settingsOf } from './read';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

export type HealthOutcome =
  | {
      readonly outcome: 'ignored' | 'unreadable';
      readonly reason: string;
      readonly delivery?: DeliveryResult;
    }
  | {
      readonly outcome: 'confirmed' | 'unregistered' | 'unchanged';
      readonly expiryDate: string;
      readonly token: string | null;
      readonly delivery?: DeliveryResult;
    };

/** Two notices at once may both update the adopted index: the loser reconciles again. */
const ATTEMPTS = 3;

export async function reconcileHealthEvent(
  config: EvaluationConfig,
  event: unknown,
  now: Date,
  log: Log,
  sources: MonitorSources,
  delivery: DeliveryContext,
): Promise<HealthOutcome> {
  for (let attempt = 1; ; attempt++) {
    const outcome = await reconcileOnce(config, event, now, log, sources, delivery);
    if (!outcome.delivery?.conflicts.length) return outcome;
    if (attempt >= ATTEMPTS) {
      throw new Error(`the adopted-token index kept changing under ${ATTEMPTS} attempts; Lambda retries`);
    }
    log.info('another invocation updated the same records: reconciling again', {
      records: outcome.delivery.conflicts,
    });
  }
}

async function reconcileOnce(
  config: EvaluationConfig,
  event: unknown,
  now: Date,
  log: Log,
  sources: MonitorSources,
  delivery: DeliveryContext,
): Promise<HealthOutcome> {
  const origin = originOf(settingsOf(config));
  const parsed = parseHealthEvent(event);
  if (!parsed.ok && !parsed.scim) {
    // Not a SCIM token notice at all (the rule lets none through; a hand-made invoke might).
    log.warn('AWS Health event ignored', { reason: parsed.reason });
    return { outcome: 'ignored', reason: parsed.reason };
  }
  const unreadable = !parsed.ok
    ? parsed.reason
    : parsed.notice.expiresAt
      ? undefined
      : 'no expiry date could be read in its description';
  if (unreadable !== undefined || !parsed.ok) {
    const reason = unreadable ?? 'unreadable';
    log.warn('AWS Health event not readable', { reason });
    const { alert, key } = unreadableNotice(event, `The notice was not readable: ${reason}`, now, origin);
    const result = await deliver({ alerts: [{ alert, key }], commits: [] }, delivery, now);
    return { outcome: 'unreadable', reason, delivery: result };
  }
  const { notice } = parsed;
  const expiresAt = notice.expiresAt as Date;
  const scope = noticeScope(notice);
  const rules = { prefix: config.registryPrefix, defaultValidityDays: config.validityDays };
  // Only the tokens that could be the announced one are kept, page by page (see matching.ts).
  const tokens: Token[] = [];
  for await (const page of sources.registryPages(config.registryPrefix)) {
    for (const p of page) {
      const r = parseRegistration(p, rules, now);
      if (r.valid && matchingToken(expiresAt, [r.token], scope)) tokens.push(r.token);
    }
  }
  const foreign = notice.account && notice.account !== config.account ? notice.account : undefined;
  const stateKey = healthStateKey(isoDate(expiresAt), foreign);
  const states = await sources.readStates([stateKey, ADOPTED_KEY]);
  let instances: readonly { instanceArn: string; identityStoreId?: string }[] | undefined;
  try {
    instances = foreign ? undefined : await sources.listInstances?.();
  } catch {
    instances = undefined;
  }
  const { instance } = matchInstance(notice.instanceArn, instances);
  const decision = reconcile(
    { ...notice, expiresAt },
    tokens,
    parseHealthRecord(states.get(stateKey)),
    now,
    { ...origin, ...(instance ? { instance } : {}) },
    ladderOf(config).pageWithinDays,
  );
  const base = { expiryDate: decision.record.expiryDate, token: decision.record.matchedToken };
  log.info('AWS Health SCIM token notice', {
    ...base,
    eventArn: notice.eventArn,
    account: notice.account,
    changed: decision.changed,
    alert: decision.alert !== undefined,
  });
  const key = `${stateKey}#unregistered#${adoptedName(expiresAt, foreign)}`;
  const alerts: PlannedAlert[] = decision.alert ? [{ alert: decision.alert, key }] : [];
  const after = alerts.map((a) => a.key);
  const commits: Commit[] = decision.changed
    ? [{ write: { key: stateKey, state: decision.record }, after }]
    : [];
  // Unmatched: adopted, so its lifecycle runs with nothing registered (duplicates add nothing).
  // The index is shared by every notice: written only if nobody changed it since it was read.
  if (!decision.record.matchedToken) {
    const stored = states.get(ADOPTED_KEY);
    const adoption = adopt(parseAdoptedIndex(stored), { ...notice, expiresAt }, now, config.account);
    if (adoption.added) {
      commits.push({ write: { key: ADOPTED_KEY, state: adoption.index, expected: stored ?? null }, after });
    }
  }
  if (alerts.length === 0 && commits.length === 0) return { outcome: 'unchanged', ...base };
  const result = await deliver({ alerts, commits }, delivery, now);
  return { outcome: decision.record.matchedToken ? 'confirmed' : 'unregistered', ...base, delivery: result };
}
