/**
 * Checks shared by the construct (props) and the stack (context). Each returns the problems
 * found as sentences naming the setting, so callers can collect them all and throw once.
 */
import { Token } from 'aws-cdk-lib';

export const MAX_VALIDITY_DAYS = 3650;
// The shape of an email address as SNS accepts it; deliverability is SNS's confirmation email's job.
const EMAIL = /^[^\s@,;<>"]+@[^\s@,;<>"]+\.[^\s@,;<>"]+$/;
// SSM parameter hierarchy: letters, digits, . - _ between slashes.
const SSM_PATH = /^(\/[A-Za-z0-9._-]+)+\/$/;

export function emailProblems(setting: string, emails: readonly string[]): string[] {
  return emails
    .filter((e) => !Token.isUnresolved(e) && !EMAIL.test(e))
    .map((e) => `${setting}: "${e}" is not an email address.`);
}

export function thresholdProblems(
  setting: string,
  thresholds: readonly number[],
  validityDays: number,
): string[] {
  if (thresholds.length === 0) return [`${setting} must list at least one threshold (days before expiry).`];
  const problems: string[] = [];
  for (const t of thresholds) {
    if (!Number.isInteger(t) || t <= 0)
      problems.push(`${setting}: ${t} is not a positive whole number of days.`);
    else if (t >= validityDays)
      problems.push(`${setting}: ${t} days is not below the token validity of ${validityDays} days.`);
  }
  if (new Set(thresholds).size !== thresholds.length)
    problems.push(`${setting} must not repeat a threshold.`);
  return problems;
}

export function validityProblems(setting: string, validityDays: number): string[] {
  return Number.isInteger(validityDays) && validityDays >= 1 && validityDays <= MAX_VALIDITY_DAYS
    ? []
    : [`${setting} must be a whole number of days from 1 to ${MAX_VALIDITY_DAYS}, got ${validityDays}.`];
}

export function prefixProblems(setting: string, prefix: string): string[] {
  if (!prefix.startsWith('/')) return [`${setting} must start with "/", got "${prefix}".`];
  if (/^\/(aws|ssm)/i.test(prefix))
    return [`${setting} must not start with /aws or /ssm (reserved by AWS), got "${prefix}".`];
  if (!SSM_PATH.test(prefix.endsWith('/') ? prefix : `${prefix}/`)) {
    return [
      `${setting} must be an SSM path of letters, digits, ".", "-" and "_" between slashes, got "${prefix}".`,
    ];
  }
  return [];
}

/** `/a/b` and `/a/b/` name the same hierarchy; the monitor works with the trailing slash. */
export function withTrailingSlash(prefix: string): string {
  return prefix.endsWith('/') ? prefix : `${prefix}/`;
}

export function throwIfAny(what: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new Error(`Invalid ${what}:\n  - ${problems.join('\n  - ')}`);
}
