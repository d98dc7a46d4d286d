/**
 * The second entry point of the monitor: an AWS Health notice of a SCIM token expiry, reconciled
 * with the registry. A matching registration is recorded as confirmed; an unmatched expiry raises
 * an `unregistered-token` alert. The same notice repeating (weekly, then daily) sends nothing
 * again and writes nothing. A malformed or unexpected event is logged and ignored.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { ADOPTED_KEY, adopt, adoptedName, parseAdoptedIndex } from '../../core/adoption';
import { healthStateKey, parseHealthEvent, parseHealthRecord, reconcile } from '../../core/health';
import { matchInstance } from '../../core/instances';
import { matchingToken } from '../../core/matching';
import { parseRegistration, type Token } from '../../core/registration';
import { type DeliveryResult, type DeliveryTarget, deliver, type Invocation } from './deliver';
import { type EvaluationConfig, type MonitorSources, originOf } from './run';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

export type HealthOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | {
      readonly outcome: 'confirmed' | 'unregistered' | 'unchanged';
      readonly expiryDate: string;
      readonly token: string | null;
      readonly delivery?: DeliveryResult;
    };

export async function reconcileHealthEvent(
  config: EvaluationConfig & DeliveryTarget,
  event: unknown,
  now: Date,
  log: Log,
  sources: MonitorSources,
  invocation: Invocation,
): Promise<HealthOutcome> {
  const parsed = parseHealthEvent(event);
  if (!parsed.ok) {
    log.warn('AWS Health event ignored', { reason: parsed.reason });
    return { outcome: 'ignored', reason: parsed.reason };
  }
  const { notice } = parsed;
  if (!notice.expiresAt) {
    log.warn('AWS Health event ignored: no expiry date found in its description', {
      eventArn: notice.eventArn,
      description: notice.description,
    });
    return { outcome: 'ignored', reason: 'no expiry date in the description' };
  }
  const expiresAt = notice.expiresAt;
  const rules = { prefix: config.registryPrefix, defaultValidityDays: config.validityDays };
  // Only the tokens that could be the announced one are kept, page by page (see matching.ts).
  const tokens: Token[] = [];
  for await (const page of sources.registryPages(config.registryPrefix)) {
    for (const p of page) {
      const r = parseRegistration(p, rules, now);
      if (r.valid && matchingToken(expiresAt, [r.token])) tokens.push(r.token);
    }
  }
  const stateKey = healthStateKey(expiresAt.toISOString().slice(0, 10));
  const states = await sources.readStates([stateKey, ADOPTED_KEY]);
  const stored = parseHealthRecord(states.get(stateKey));
  const index = parseAdoptedIndex(states.get(ADOPTED_KEY));
  let instances: readonly { instanceArn: string; identityStoreId?: string }[] | undefined;
  try {
    instances = sources.listInstances ? await sources.listInstances() : undefined;
  } catch {
    instances = undefined;
  }
  const { instance } = matchInstance(undefined, instances);
  const decision = reconcile({ ...notice, expiresAt }, tokens, stored, now, {
    ...originOf(config),
    ...(instance ? { instance } : {}),
  });
  const base = { expiryDate: decision.record.expiryDate, token: decision.record.matchedToken };
  log.info('AWS Health SCIM token notice', {
    ...base,
    eventArn: notice.eventArn,
    changed: decision.changed,
    alert: decision.alert !== undefined,
  });
  // Unmatched: adopted, so its lifecycle runs with nothing registered (duplicates add nothing).
  const adoption = decision.record.matchedToken ? undefined : adopt(index, { ...notice, expiresAt }, now);
  const adoptWrite = adoption?.added ? [{ key: ADOPTED_KEY, state: adoption.index }] : [];
  if (!decision.changed && adoptWrite.length === 0) return { outcome: 'unchanged', ...base };
  const write = { key: stateKey, state: decision.record };
  const key = `${stateKey}#unregistered#${adoptedName(expiresAt)}`;
  const plan = {
    alerts: decision.alert ? [{ alert: decision.alert, key, write }] : [],
    writes: [...(decision.alert ? [] : [write]), ...adoptWrite],
  };
  const delivery = await deliver(plan, config, invocation, now, log);
  return { outcome: decision.record.matchedToken ? 'confirmed' : 'unregistered', ...base, delivery };
}
