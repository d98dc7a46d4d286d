/**
 * One monitor run, in two halves the CLI can reuse: `evaluate` reads the registry and state and
 * lets the core decide (no writes); `deliver` publishes what was decided and records it.
 */
import type { Logger } from '@aws-lambda-powertools/logger';
import { EVENTS_PER_CALL, putAlertEvents } from '../aws/eventbridge';
import { publishAlert } from '../aws/sns';
import { readRegistry, readValues, writeValue } from '../aws/ssm';
import { listInstances } from '../aws/sso-admin';
import { checkInstances, needsState, planRun, type RunPlan, stateToRead } from '../core/evaluate';
import type { Instance } from '../core/instances';
import { renderAlert } from '../core/messages';
import { parseRegistration, type Registration, type RegistryParameter } from '../core/registration';
import {
  monitorStateName,
  parseMonitorState,
  parseTokenState,
  serializeState,
  type TokenState,
  tokenStateName,
} from '../core/state';
import type { MonitorConfig } from './config';

type Log = Pick<Logger, 'info' | 'warn' | 'error'>;

/**
 * Where a run reads from. The Lambda reads AWS; the CLI can read a local file instead, and
 * still runs this same evaluation.
 */
export interface MonitorSources {
  readRegistry(prefix: string): Promise<RegistryParameter[]>;
  /** Values of the named state parameters that exist. */
  readValues(names: readonly string[]): Promise<Map<string, string>>;
  /** Absent when there is no IAM Identity Center to ask (offline). */
  listInstances?(): Promise<Instance[]>;
}

export const AWS_SOURCES: MonitorSources = { readRegistry, readValues, listInstances };

/** What the evaluation needs of the configuration. */
export type EvaluationConfig = Pick<
  MonitorConfig,
  'registryPrefix' | 'statePrefix' | 'thresholdsDays' | 'validityDays' | 'region' | 'account'
>;

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
  sources: MonitorSources = AWS_SOURCES,
): Promise<RunPlan> {
  const parameters = await sources.readRegistry(config.registryPrefix);
  const rules = { prefix: config.registryPrefix, defaultValidityDays: config.validityDays };
  const registrations: Registration[] = parameters.map((p) => parseRegistration(p, rules, now));

  // IAM Identity Center is asked only when its answer can matter: an alert may be due, a
  // registration names an instance, or there is nothing registered.
  const askInstances =
    registrations.length === 0 ||
    registrations.some((r) => (r.valid && r.token.instanceArn) || needsState(r, now, config.thresholdsDays));
  const instances = askInstances ? await tryListInstances(sources, log) : undefined;

  const settings = {
    thresholdsDays: config.thresholdsDays,
    registryPrefix: config.registryPrefix,
    statePrefix: config.statePrefix,
    region: config.region,
    ...(config.account ? { account: config.account } : {}),
  };
  // State is read for the registrations that could alert, not for the whole registry.
  const checked = checkInstances(registrations, instances);
  const toRead = stateToRead(checked, now, settings);
  const values = await sources.readValues(toRead.parameterNames);
  const tokenStates = new Map<string, TokenState>();
  for (const name of toRead.tokenNames) {
    tokenStates.set(name, parseTokenState(values.get(tokenStateName(config.statePrefix, name))));
  }
  return planRun({
    registrations: checked,
    tokenStates,
    monitorState: parseMonitorState(values.get(monitorStateName(config.statePrefix))),
    instances,
    settings,
    now,
  });
}

export interface DeliveryResult {
  readonly alertsSent: number;
  readonly failures: readonly string[];
}

/**
 * Sends the plan's alerts in groups of ten: the group's EventBridge copies (one PutEvents),
 * then for each alert its SNS publish followed by its state write. The state is written only
 * after SNS accepted the alert, so a crash can repeat an alert but never lose one. A failure on
 * one alert does not stop the others; failures are returned so the run can fail loudly.
 */
export async function deliver(
  plan: RunPlan,
  config: Pick<MonitorConfig, 'topicArn' | 'eventBusName'>,
  now: Date,
  log: Log,
): Promise<DeliveryResult> {
  const failures: string[] = [];
  let alertsSent = 0;
  for (let i = 0; i < plan.alerts.length; i += EVENTS_PER_CALL) {
    const group = plan.alerts
      .slice(i, i + EVENTS_PER_CALL)
      .map((a) => ({ ...a, rendered: renderAlert(a.alert) }));
    try {
      const rejected = await putAlertEvents(
        config.eventBusName,
        group.map((g) => g.rendered.payload),
        now,
      );
      for (const r of rejected) {
        failures.push(
          `EventBridge rejected the alert for ${group[r.index]?.alert.tokenName ?? 'the monitor'}: ${r.error}`,
        );
      }
    } catch (error) {
      // SNS is the channel of record: an EventBridge outage must not hold back the alerts.
      failures.push(`PutEvents failed: ${(error as Error).message}`);
    }
    for (const { alert, rendered, write } of group) {
      const who = alert.tokenName ?? 'monitor';
      try {
        const messageId = await publishAlert(config.topicArn, rendered);
        alertsSent += 1;
        log.info('alert sent', {
          tokenName: who,
          alertType: alert.alertType,
          severity: alert.severity,
          threshold: alert.threshold,
          messageId,
        });
      } catch (error) {
        failures.push(
          `publishing the ${alert.alertType} alert for ${who} failed: ${(error as Error).message}`,
        );
        continue;
      }
      try {
        await writeValue(write.parameterName, serializeState(write.state));
      } catch (error) {
        failures.push(
          `recording the ${alert.alertType} alert for ${who} failed (it may be sent again): ${(error as Error).message}`,
        );
      }
    }
  }
  for (const write of plan.writes) {
    try {
      await writeValue(write.parameterName, serializeState(write.state));
    } catch (error) {
      failures.push(`writing ${write.parameterName} failed: ${(error as Error).message}`);
    }
  }
  for (const f of failures) log.error(f);
  return { alertsSent, failures };
}
