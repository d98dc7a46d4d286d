/**
 * The first half of a run, which the CLI reuses: read everything the plan needs, then let the
 * core's planner decide (nothing is written here). I/O only, in a fixed order: the registry's first
 * page, the adopted tokens, the IAM Identity Center instances, the rest of the registry page by
 * page (quiet tokens, which the core recognises, are only logged and counted), the state of the
 * tokens that could alert, and the alert topic's subscriptions. `deliver.ts` is the second half.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { ADOPTED_KEY, parseAdoptedIndex } from '../../core/adoption';
import { daysRemaining } from '../../core/dates';
import type { Instance } from '../../core/instances';
import {
  type EvaluationSettings,
  isQuiet,
  planRun,
  prepareRun,
  type RunPlan,
  type TokenEvaluation,
} from '../../core/plan';
import type { MonitorSources } from '../../core/ports';
import { parseRegistration, type Registration } from '../../core/registration';
import { ladderOf } from '../../core/severity';
import type { SubscriberCount } from '../../core/subscribers';
import type { MonitorConfig } from './config';

export type { MonitorSources } from '../../core/ports';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

/** What the evaluation needs of the configuration. */
export type EvaluationConfig = Pick<
  MonitorConfig,
  | 'registryPrefix'
  | 'thresholdsDays'
  | 'validityDays'
  | 'region'
  | 'account'
  | 'environmentName'
  | 'pageWithinDays'
  | 'dailyRemindersWithinDays'
  | 'scheduleTimeZone'
>;

/** The planner's settings, from the configuration. */
export function settingsOf(config: EvaluationConfig): EvaluationSettings {
  return {
    thresholdsDays: config.thresholdsDays,
    ...(config.pageWithinDays !== undefined ? { pageWithinDays: config.pageWithinDays } : {}),
    ...(config.dailyRemindersWithinDays !== undefined
      ? { dailyRemindersWithinDays: config.dailyRemindersWithinDays }
      : {}),
    ...(config.scheduleTimeZone ? { timeZone: config.scheduleTimeZone } : {}),
    registryPrefix: config.registryPrefix,
    region: config.region,
    ...(config.account ? { account: config.account } : {}),
    ...(config.environmentName ? { environmentName: config.environmentName } : {}),
  };
}

/** Calls an optional source; `undefined` when it is absent or fails (the run carries on without it). */
async function optional<T>(
  call: (() => Promise<T>) | undefined,
  log: Log,
  what: string,
): Promise<T | undefined> {
  if (!call) return undefined;
  try {
    return await call();
  } catch (error) {
    log.warn(`${what} failed; the run carries on without it`, {
      error: (error as Error).name,
      message: (error as Error).message,
    });
    return undefined;
  }
}

export interface ReadOptions {
  /**
   * Receives each quiet token as the registry is read (see core/plan.ts `isQuiet`); quiet tokens
   * are then left out of the plan and only counted, so a run's memory does not grow with the
   * registry. Without it, every token is in the plan (the CLI lists them all).
   */
  readonly onQuiet?: (evaluation: TokenEvaluation) => void;
  /** Tokens always kept in the plan (the probe's). */
  readonly keep?: ReadonlySet<string>;
  /** A scheduled run: it counts the topic's subscribers and records that it ran. */
  readonly scheduled?: boolean;
}

/** The quiet tokens left out of a plan: how many, and the fewest days any of them has left. */
export interface QuietTokens {
  readonly tokens: number;
  readonly minDaysRemaining?: number;
}

/** A run's plan, and the quiet tokens it left out. */
export interface MonitorPlan extends RunPlan {
  readonly quiet: QuietTokens;
}

export async function readPlan(
  config: EvaluationConfig,
  now: Date,
  log: Log,
  sources: MonitorSources,
  options: ReadOptions = {},
): Promise<MonitorPlan> {
  const settings = settingsOf(config);
  // The registry first: a registry that cannot be read is the error to report.
  const pages = sources.registryPages(config.registryPrefix)[Symbol.asyncIterator]();
  let page = await pages.next();
  const adopted = parseAdoptedIndex((await sources.readStates([ADOPTED_KEY])).get(ADOPTED_KEY));
  const instances: readonly Instance[] | undefined = await optional(
    sources.listInstances?.bind(sources),
    log,
    'ListInstances (alerts go out without instance details and instanceArn is not checked)',
  );
  const rules = { prefix: config.registryPrefix, defaultValidityDays: config.validityDays };
  const quietContext = {
    now,
    ladder: ladderOf(settings),
    keep: options.keep ?? new Set<string>(),
    adopted,
    instances,
    ...(config.account ? { ownAccount: config.account } : {}),
  };
  const kept: Registration[] = [];
  let quiet = 0;
  let minDaysRemaining = Number.POSITIVE_INFINITY;
  for (; !page.done; page = await pages.next()) {
    for (const parameter of page.value) {
      const registration = parseRegistration(parameter, rules, now);
      if (!options.onQuiet || !registration.valid || !isQuiet(registration, quietContext)) {
        kept.push(registration);
        continue;
      }
      const { name, expiresAt } = registration.token;
      const days = daysRemaining(expiresAt, now);
      options.onQuiet({ name, expiresAt, daysRemaining: days });
      quiet++;
      minDaysRemaining = Math.min(minDaysRemaining, days);
    }
  }
  // State only for the registrations that could alert, not for the whole registry.
  const { keys } = prepareRun(kept, adopted, instances, now, settings);
  const states = await sources.readStates(keys);
  const subscribers: SubscriberCount | undefined = options.scheduled
    ? await optional(sources.topicSubscribers?.bind(sources), log, "Counting the alert topic's subscriptions")
    : undefined;
  const plan = planRun({
    registrations: kept,
    adopted,
    quietTokens: quiet,
    states,
    instances,
    ...(subscribers ? { subscribers } : {}),
    scheduled: options.scheduled === true,
    settings,
    now,
  });
  return { ...plan, quiet: { tokens: quiet, ...(quiet > 0 ? { minDaysRemaining } : {}) } };
}
