/**
 * The first half of a monitor run, which the CLI reuses: read the registry and the state, and let
 * the core decide (no writes). `deliver.ts` is the second half.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import {
  ADOPTED_KEY,
  type AdoptedIndex,
  inherited,
  parseAdoptedIndex,
  withAdopted,
} from '../../core/adoption';
import type { AlertOrigin } from '../../core/alert';
import { daysRemaining } from '../../core/dates';
import {
  checkInstances,
  needsState,
  planRun,
  type RunPlan,
  stateToRead,
  type TokenEvaluation,
} from '../../core/evaluate';
import { type Instance, matchInstance } from '../../core/instances';
import { matchingToken } from '../../core/matching';
import { parseRegistration, type Registration, type RegistryParameter } from '../../core/registration';
import {
  MONITOR_STATE_KEY,
  parseMonitorState,
  parseTokenState,
  type TokenState,
  tokenStateKey,
} from '../../core/state';
import type { MonitorConfig } from './config';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * Where a run reads from. The Lambda reads AWS; the CLI can read a local file instead, and
 * still runs this same evaluation.
 */
export interface MonitorSources {
  /** The registry below `prefix`, one page at a time. */
  registryPages(prefix: string): AsyncIterable<readonly RegistryParameter[]>;
  /** The stored JSON of the named state records that exist. */
  readStates(keys: readonly string[]): Promise<Map<string, string>>;
  /** Absent when there is no IAM Identity Center to ask (offline). */
  listInstances?(): Promise<Instance[]>;
}

/** What the evaluation needs of the configuration. */
export type EvaluationConfig = Pick<
  MonitorConfig,
  'registryPrefix' | 'thresholdsDays' | 'validityDays' | 'region' | 'account' | 'environmentName'
>;

/** Where every alert of this deployment comes from (the alert's origin fields), from its configuration. */
export function originOf(
  config: Pick<EvaluationConfig, 'region' | 'registryPrefix' | 'account' | 'environmentName'>,
): AlertOrigin {
  return {
    region: config.region,
    registryPrefix: config.registryPrefix,
    ...(config.account ? { account: config.account } : {}),
    ...(config.environmentName ? { environmentName: config.environmentName } : {}),
  };
}

/** Instances, or `undefined` when IAM Identity Center cannot be asked: the monitor carries on. */
async function tryListInstances(sources: MonitorSources, log: Log): Promise<readonly Instance[] | undefined> {
  if (!sources.listInstances) return undefined;
  try {
    return await sources.listInstances();
  } catch (error) {
    log.warn('ListInstances failed; alerts go out without instance details and instanceArn is not checked', {
      error: (error as Error).name,
      message: (error as Error).message,
    });
    return undefined;
  }
}

export interface EvaluateOptions {
  /**
   * Receives each quiet token as the registry is read: valid, no alert can be due, not probed, not
   * an expiry AWS Health announced, its instance (if named) found. Quiet tokens are then left out
   * of the plan and only counted, so a run's memory does not grow with the registry. Without it,
   * every token is in the plan (the CLI lists them all).
   */
  readonly onQuiet?: (evaluation: TokenEvaluation) => void;
  /** Tokens always kept in the plan (the probe's). */
  readonly keep?: ReadonlySet<string>;
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

export async function evaluate(
  config: EvaluationConfig,
  now: Date,
  log: Log,
  sources: MonitorSources,
  options: EvaluateOptions = {},
): Promise<MonitorPlan> {
  const rules = { prefix: config.registryPrefix, defaultValidityDays: config.validityDays };
  // Tokens AWS Health announced that nobody registered are watched too (see core/adoption.ts).
  // Read once the registry answered (a registry that cannot be read is the error to report).
  let index: AdoptedIndex | undefined;
  const adoptedIndex = async () =>
    (index ??= parseAdoptedIndex((await sources.readStates([ADOPTED_KEY])).get(ADOPTED_KEY)));
  let announced: Date[] = [];

  // IAM Identity Center is asked only when its answer can matter: an alert may be due, a
  // registration names an instance, or there is nothing registered. Once at most.
  let instances: readonly Instance[] | undefined;
  let asked = false;
  const askInstances = async () => {
    if (!asked) instances = await tryListInstances(sources, log);
    asked = true;
    return instances;
  };
  const isQuiet = async (r: Registration): Promise<boolean> => {
    if (!r.valid || needsState(r, now, config.thresholdsDays)) return false;
    const t = r.token;
    if (options.keep?.has(t.name) || announced.some((at) => matchingToken(at, [t]))) return false;
    return !(t.instanceArn && matchInstance(t.instanceArn, await askInstances()).mismatch);
  };

  const kept: Registration[] = [];
  let quiet = 0;
  let minDaysRemaining = Number.POSITIVE_INFINITY;
  for await (const page of sources.registryPages(config.registryPrefix)) {
    if (!index) announced = Object.values(await adoptedIndex()).map((a) => new Date(a.expiresAt));
    for (const parameter of page) {
      const registration = parseRegistration(parameter, rules, now);
      if (!options.onQuiet || !registration.valid || !(await isQuiet(registration))) {
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
  const { registrations, takeovers } = withAdopted(kept, await adoptedIndex(), now);
  if (
    (registrations.length === 0 && quiet === 0) ||
    registrations.some((r) => (r.valid && r.token.instanceArn) || needsState(r, now, config.thresholdsDays))
  )
    await askInstances();

  const settings = { thresholdsDays: config.thresholdsDays, ...originOf(config) };
  // State is read for the registrations that could alert, not for the whole registry.
  const checked = checkInstances(registrations, instances);
  const toRead = stateToRead(checked, now, settings);
  // A registration that took over an adopted token starts from the adopted token's state.
  const handed = toRead.tokenNames.flatMap((name) => {
    const adopted = takeovers.get(name);
    return adopted ? [[name, adopted] as const] : [];
  });
  const values = await sources.readStates([...toRead.keys, ...handed.map(([, a]) => tokenStateKey(a))]);
  const tokenStates = new Map<string, TokenState>();
  for (const name of toRead.tokenNames) {
    tokenStates.set(name, parseTokenState(values.get(tokenStateKey(name))));
  }
  for (const [name, adopted] of handed) {
    const token = registrations.find((r) => r.valid && r.token.name === name);
    if (!token?.valid) continue;
    tokenStates.set(
      name,
      inherited(
        tokenStates.get(name) as TokenState,
        parseTokenState(values.get(tokenStateKey(adopted))),
        token.token.expiresAt,
      ),
    );
  }
  const plan = planRun({
    registrations: checked,
    quietTokens: quiet,
    tokenStates,
    monitorState: parseMonitorState(values.get(MONITOR_STATE_KEY)),
    instances,
    settings,
    now,
  });
  return {
    ...plan,
    quiet: { tokens: quiet, ...(quiet > 0 ? { minDaysRemaining } : {}) },
  };
}
