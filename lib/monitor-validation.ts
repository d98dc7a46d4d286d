/**
 * The construct's props, checked as a whole and completed with their defaults: one list of every
 * problem, which the stack's context reader reports together with its own.
 */
import { Token } from 'aws-cdk-lib';
import { isTimeZone } from '../core/dates';
import {
  DEFAULT_PARAMETER_PREFIX,
  DEFAULT_SCHEDULE,
  DEFAULT_THRESHOLDS_DAYS,
  DEFAULT_VALIDITY_DAYS,
  type ScimTokenExpiryMonitorProps,
} from './props';
import {
  chatProblems,
  emailProblems,
  MAX_VALIDITY_DAYS,
  prefixProblems,
  probeProblems,
  type SettingNames,
  scheduleIntervalHours,
  thresholdProblems,
  validityProblems,
} from './validation';

/** CloudWatch evaluates at most 7 days of hourly periods. */
const MAX_WINDOW_HOURS = 168;

export interface ResolvedSettings {
  readonly thresholdsDays: number[];
  readonly validityDays: number;
  /** The "not run" window: as given, or the schedule's interval plus two hours (at least 26). */
  readonly maxHoursWithoutSuccess: number;
}

export function resolveSettings(props: ScimTokenExpiryMonitorProps): ResolvedSettings {
  const interval = scheduleIntervalHours((props.schedule ?? DEFAULT_SCHEDULE).expressionString);
  return {
    thresholdsDays: [...(props.thresholdsDays ?? DEFAULT_THRESHOLDS_DAYS)],
    validityDays: props.validityDays ?? DEFAULT_VALIDITY_DAYS,
    maxHoursWithoutSuccess:
      props.maxHoursWithoutSuccess ?? (interval === undefined ? 26 : Math.max(26, Math.ceil(interval) + 2)),
  };
}

export function monitorPropsProblems(props: ScimTokenExpiryMonitorProps, names: SettingNames = {}): string[] {
  const { thresholdsDays, validityDays, maxHoursWithoutSuccess } = resolveSettings(props);
  const parameterPrefix = props.parameterPrefix ?? DEFAULT_PARAMETER_PREFIX;
  const problems = [
    ...emailProblems('alertEmails', props.alertEmails ?? []),
    ...validityProblems('validityDays', validityDays),
    ...thresholdProblems('thresholdsDays', thresholdsDays, validityDays),
    ...prefixProblems('parameterPrefix', parameterPrefix),
    ...chatProblems(props, names),
    ...probeProblems(props.probe, names),
    ...scheduleProblems(props, maxHoursWithoutSuccess),
    ...environmentNameProblems(props.environmentName),
    ...healthSourceProblems(props, names),
    ...ladderProblems(props, thresholdsDays),
    ...(props.pagerDuty &&
    !Token.isUnresolved(props.pagerDuty.routingKeySecretName) &&
    !/^[A-Za-z0-9/_+=.@-]{1,512}$/.test(props.pagerDuty.routingKeySecretName)
      ? [
          `${names['pagerDuty.routingKeySecretName'] ?? 'pagerDuty.routingKeySecretName'} "${props.pagerDuty.routingKeySecretName}" is not a Secrets Manager secret name.`,
        ]
      : []),
    ...(props.digestAfter !== undefined && (!Number.isInteger(props.digestAfter) || props.digestAfter < 1)
      ? [`digestAfter must be a whole number from 1, got ${props.digestAfter}.`]
      : []),
    ...provisioningAlertProblems(props, names),
  ];
  return problems;
}

/** The opt-in provisioning alerts: whole numbers, and only with provisioning observed. */
function provisioningAlertProblems(props: ScimTokenExpiryMonitorProps, names: SettingNames): string[] {
  const alerts = props.provisioningAlerts;
  if (!alerts) return [];
  const failures = names['provisioningAlerts.failuresAbove'] ?? 'provisioningAlerts.failuresAbove';
  const hours = names['provisioningAlerts.silentHours'] ?? 'provisioningAlerts.silentHours';
  return [
    ...(props.observeProvisioning === false
      ? [`${failures} and ${hours} need provisioning observed: drop observeProvisioning=false.`]
      : []),
    ...(alerts.failuresAbove !== undefined &&
    (!Number.isInteger(alerts.failuresAbove) || alerts.failuresAbove < 0)
      ? [`${failures} must be a whole number of failed calls from 0, got ${alerts.failuresAbove}.`]
      : []),
    ...(alerts.silentHours !== undefined &&
    (!Number.isInteger(alerts.silentHours) || alerts.silentHours < 1 || alerts.silentHours > 2160)
      ? [
          `${hours} must be a whole number of hours from 1 to 2160 (90 days of Event history), got ${alerts.silentHours}.`,
        ]
      : []),
  ];
}

/** The severity ladder and the schedule's time zone. */
function ladderProblems(props: ScimTokenExpiryMonitorProps, thresholdsDays: readonly number[]): string[] {
  const problems: string[] = [];
  const days = (name: string, v: number | undefined) => {
    if (v !== undefined && (!Number.isInteger(v) || v < 0 || v > MAX_VALIDITY_DAYS)) {
      problems.push(`${name} must be a whole number of days from 0 to ${MAX_VALIDITY_DAYS}, got ${v}.`);
    }
  };
  days('pageWithinDays', props.pageWithinDays);
  days('dailyRemindersWithinDays', props.dailyRemindersWithinDays);
  const largest = Math.max(...thresholdsDays);
  if (props.dailyRemindersWithinDays !== undefined && props.dailyRemindersWithinDays > largest) {
    problems.push(
      `dailyRemindersWithinDays (${props.dailyRemindersWithinDays}) is beyond the largest threshold (${largest}): reminders start after a threshold's alert.`,
    );
  }
  const zone = props.scheduleTimeZone;
  if (zone !== undefined && !Token.isUnresolved(zone) && !isTimeZone(zone)) {
    problems.push(
      `scheduleTimeZone "${zone}" is not an IANA time zone name (e.g. America/New_York, Europe/Berlin).`,
    );
  }
  return problems;
}

/** Forwarded Health notices: 12-digit accounts, and the Health rule they are meant for. */
function healthSourceProblems(props: ScimTokenExpiryMonitorProps, names: SettingNames): string[] {
  const setting = names['organization.healthSourceAccounts'] ?? 'organization.healthSourceAccounts';
  const accounts = props.organization?.healthSourceAccounts ?? [];
  const problems = accounts
    .filter((a) => !/^\d{12}$/.test(a))
    .map((a) => `${setting}: "${a}" is not a 12-digit AWS account ID.`);
  if (accounts.length > 0 && props.reconcileHealthEvents === false) {
    problems.push(`${setting} needs reconcileHealthEvents: forwarded notices would reach no rule.`);
  }
  return problems;
}

/** The "not run" alarm must be able to cover the gap between two scheduled runs. */
function scheduleProblems(props: ScimTokenExpiryMonitorProps, maxHours: number): string[] {
  const expression = (props.schedule ?? DEFAULT_SCHEDULE).expressionString;
  const interval = scheduleIntervalHours(expression);
  if (interval !== undefined && interval + 2 > MAX_WINDOW_HOURS) {
    return [
      `schedule "${expression}" runs ${interval} hours apart: the "not run" alarm can watch at most ${MAX_WINDOW_HOURS} hours (CloudWatch evaluates at most 7 days of hourly periods); run at least every 6 days.`,
    ];
  }
  if (!Number.isInteger(maxHours) || maxHours < 1 || maxHours > MAX_WINDOW_HOURS) {
    return [
      `maxHoursWithoutSuccess must be a whole number of hours from 1 to ${MAX_WINDOW_HOURS}, got ${maxHours}.`,
    ];
  }
  if (interval === undefined) {
    return props.maxHoursWithoutSuccess === undefined
      ? [
          `schedule "${expression}" does not run every day: set maxHoursWithoutSuccess to its longest gap between runs plus two hours (at most ${MAX_WINDOW_HOURS}), or the "not run" alarm fires between runs.`,
        ]
      : [];
  }
  if (maxHours < interval + 1) {
    return [
      `maxHoursWithoutSuccess (${maxHours}) is shorter than the schedule's ${interval}-hour interval: the "not run" alarm would fire between runs.`,
    ];
  }
  return [];
}

/** Shown in every subject: short, and nothing a mail client or chat would read as markup. */
function environmentNameProblems(name: string | undefined): string[] {
  if (name === undefined || /^[A-Za-z0-9][A-Za-z0-9 ._-]{0,31}$/.test(name)) return [];
  return [
    `environmentName "${name.slice(0, 40)}" must be 1 to 32 letters, digits, spaces, dots, underscores or hyphens, starting with a letter or digit.`,
  ];
}
