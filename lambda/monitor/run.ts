/**
 * The first half of a monitor run, which the CLI reuses: read the registry and the state, and let
 * the core decide (no writes). `deliver.ts` is the second half.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { readStates } from '../aws/ledger';
import { readRegistry } from '../aws/ssm';
import { listInstances } from '../aws/sso-admin';
import { ADOPTED_KEY, inherited, parseAdoptedIndex, withAdopted } from '../core/adoption';
import type { AlertOrigin } from '../core/alert';
import { checkInstances, needsState, planRun, type RunPlan, stateToRead } from '../core/evaluate';
import type { Instance } from '../core/instances';
import { parseRegistration, type Registration, type RegistryParameter } from '../core/registration';
import {
  MONITOR_STATE_KEY,
  parseMonitorState,
  parseTokenState,
  type TokenState,
  tokenStateKey,
} from '../core/state';
import type { MonitorConfig } from './config';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * Where a run reads from. The Lambda reads AWS; the CLI can read a local file instead, and
 * still runs this same evaluation.
 */
export interface MonitorSources {
  readRegistry(prefix: string): Promise<RegistryParameter[]>;
  /** The stored JSON of the named state records that exist. */
  readStates(keys: readonly string[]): Promise<Map<string, string>>;
  /** Absent when there is no IAM Identity Center to ask (offline). */
  listInstances?(): Promise<Instance[]>;
}

/** The Lambda's sources: SSM, the ledger table, IAM Identity Center. */
export function awsSources(ledgerTable: string): MonitorSources {
  return { readRegistry, readStates: (keys) => readStates(ledgerTable, keys), listInstances };
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

export async function evaluate(
  config: EvaluationConfig,
  now: Date,
  log: Log,
  sources: MonitorSources,
): Promise<RunPlan> {
  const parameters = await sources.readRegistry(config.registryPrefix);
  const rules = { prefix: config.registryPrefix, defaultValidityDays: config.validityDays };
  const registered: Registration[] = parameters.map((p) => parseRegistration(p, rules, now));
  // Tokens AWS Health announced that nobody registered are watched too (see core/adoption.ts).
  const index = parseAdoptedIndex((await sources.readStates([ADOPTED_KEY])).get(ADOPTED_KEY));
  const { registrations, takeovers } = withAdopted(registered, index, now);

  // IAM Identity Center is asked only when its answer can matter: an alert may be due, a
  // registration names an instance, or there is nothing registered.
  const askInstances =
    registrations.length === 0 ||
    registrations.some((r) => (r.valid && r.token.instanceArn) || needsState(r, now, config.thresholdsDays));
  const instances = askInstances ? await tryListInstances(sources, log) : undefined;

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
  return planRun({
    registrations: checked,
    tokenStates,
    monitorState: parseMonitorState(values.get(MONITOR_STATE_KEY)),
    instances,
    settings,
    now,
  });
}
