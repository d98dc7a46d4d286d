/**
 * What the CLI knows of the deployed monitor: the settings every monitor publishes in SSM
 * (`/scim-token-monitor/deployments/<stack>/<construct>`, core/contract.ts), found by
 * `--stack-name` or, without it, as the only monitor in the region (the app's stack when there are
 * several). The commands then need no flags: registry prefix, thresholds, validity, ledger, topic
 * and function are the deployment's.
 */
import { DEFAULTS, DEPLOYMENT_SETTINGS, type DeploymentSettings } from '../core/contract';
import { CliError, UsageError } from './errors';

export interface Deployment {
  readonly settings: DeploymentSettings;
  /** Where they were read, for messages. */
  readonly parameterName: string;
}

/** The settings JSON, checked field by field: a hand-edited parameter is an error, not a guess. */
export function parseSettings(text: string, where: string): DeploymentSettings {
  let raw: Record<string, unknown>;
  try {
    raw = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new CliError(`${where} does not hold the monitor's settings as JSON: redeploy the monitor.`);
  }
  const isText = (k: string) => typeof raw[k] === 'string' && raw[k] !== '';
  const texts = (k: string) =>
    Array.isArray(raw[k]) && (raw[k] as unknown[]).every((v) => typeof v === 'string');
  const numbers =
    Array.isArray(raw.thresholdsDays) && raw.thresholdsDays.every((t) => Number.isInteger(t) && t > 0);
  const ok =
    raw.version === 1 &&
    [
      'stackName',
      'parameterPrefix',
      'ledgerTableName',
      'alertTopicArn',
      'functionName',
      'logGroupName',
      'schedule',
      'alarmRelayFunctionName',
      'deadLetterQueueName',
    ].every(isText) &&
    numbers &&
    texts('alarmNames') &&
    texts('healthSourceAccounts') &&
    texts('publisherRoleArns') &&
    Number.isInteger(raw.validityDays) &&
    Number.isInteger(raw.maxHoursWithoutSuccess) &&
    typeof raw.reconcileHealthEvents === 'boolean' &&
    (raw.healthRuleName === undefined || isText('healthRuleName')) &&
    (raw.tokenKeyArn === undefined || isText('tokenKeyArn')) &&
    (isText('scheduleRuleName') || isText('zonedScheduleName')) &&
    ['pageWithinDays', 'dailyRemindersWithinDays'].every(
      (k) => raw[k] === undefined || (Number.isInteger(raw[k]) && (raw[k] as number) >= 0),
    ) &&
    (raw.scheduleTimeZone === undefined || isText('scheduleTimeZone'));
  if (!ok)
    throw new CliError(
      `${where} does not hold settings this CLI can read: redeploy the monitor, or update the CLI.`,
    );
  return raw as unknown as DeploymentSettings;
}

/**
 * The deployment's settings: of `stackName`'s monitor, or of the only one in this region, or of
 * the app's stack among several. Undefined when no monitor is deployed here (and none was asked
 * for by name).
 */
export async function findDeployment(stackName: string | undefined): Promise<Deployment | undefined> {
  const { ssm } = await import('../adapters/ssm');
  const { paginateGetParametersByPath } = await import('@aws-sdk/client-ssm');
  const path = stackName
    ? `${DEPLOYMENT_SETTINGS.path}${stackName}`
    : DEPLOYMENT_SETTINGS.path.replace(/\/$/, '');
  const found: Array<{ name: string; value: string }> = [];
  for await (const page of paginateGetParametersByPath({ client: ssm }, { Path: path, Recursive: true })) {
    for (const p of page.Parameters ?? [])
      if (p.Name && p.Value) found.push({ name: p.Name, value: p.Value });
  }
  const stackOf = (name: string) => name.slice(DEPLOYMENT_SETTINGS.path.length).split('/')[0] ?? '';
  if (found.length === 0) {
    if (stackName) {
      throw new CliError(
        `No scim-token-monitor deployment in stack ${stackName} in this region (nothing under ${path}/): check --stack-name and --region.`,
      );
    }
    return undefined;
  }
  const chosen =
    found.length === 1 ? found[0] : found.filter((f) => stackOf(f.name) === DEFAULTS.stackName).at(0);
  if (
    !chosen ||
    (found.length > 1 && found.filter((f) => stackOf(f.name) === stackOf(chosen.name)).length > 1)
  ) {
    throw new UsageError(
      `Several monitors are deployed here (${found.map((f) => f.name.slice(DEPLOYMENT_SETTINGS.path.length)).join(', ')}): pass --stack-name.`,
    );
  }
  return { settings: parseSettings(chosen.value, chosen.name), parameterName: chosen.name };
}
