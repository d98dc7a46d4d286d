/**
 * The registry contract: one SSM parameter per SCIM token, turned into a token with an expiry
 * instant, or into the one-line reason it cannot be monitored. Pure: `now` is an argument.
 */
import { addDays, parseIsoInstant } from './dates';
import { excerpt, oneLine } from './text';

/** A parameter as read from the registry (SSM, or the CLI's file registry). */
export interface RegistryParameter {
  /** Full parameter name, e.g. `/scim-token-monitor/tokens/okta-prod`. */
  readonly name: string;
  /** `String` or `SecureString`; anything else is an invalid registration. */
  readonly type: string;
  /** The value; for a SecureString it is ciphertext and is never looked at. */
  readonly value: string;
  /** Parameter version: an invalid registration is reported once per version. */
  readonly version: number;
  /** When the parameter was last written: a SecureString's creation date. */
  readonly lastModified?: Date;
}

export interface Token {
  readonly name: string;
  readonly parameterName: string;
  readonly version: number;
  /** Version and write time (see `revisionOf`): what deduplication keys on. */
  readonly revision: string;
  /** When the registration was last written (SSM's LastModifiedDate), when known. */
  readonly modifiedAt?: Date;
  readonly source: 'json' | 'date' | 'secure-string' | 'aws-health';
  readonly createdAt?: Date;
  readonly expiresAt: Date;
  /** True when `expiresAt` came from the registration rather than createdAt + validity. */
  readonly expiryExplicit: boolean;
  readonly validityDays: number;
  readonly tokenId?: string;
  readonly instanceArn?: string;
  /**
   * The AWS account that owns the IAM Identity Center instance, when it is not the monitor's own
   * (an organization's management account whose AWS Health notices are forwarded here). AWS
   * Health notices are matched within their account; the instance is not checked here.
   */
  readonly account?: string;
  readonly identityProvider?: string;
  readonly owner?: string;
  readonly notes?: string;
}

export interface InvalidRegistration {
  readonly name: string;
  readonly parameterName: string;
  readonly version: number;
  readonly revision: string;
  readonly reason: string;
}

export type Registration =
  | { readonly valid: true; readonly token: Token }
  | { readonly valid: false; readonly invalid: InvalidRegistration };

export interface RegistrationRules {
  /** The registry prefix, ending in `/`. */
  readonly prefix: string;
  /** Validity used when a registration gives neither `expiresAt` nor `validityDays`. */
  readonly defaultValidityDays: number;
}

export const MIN_VALIDITY_DAYS = 1;
/** IAM Identity Center issues SCIM access tokens for one year; 366 days covers a leap year. */
export const MAX_VALIDITY_DAYS = 366;
const ONE_YEAR_REASON = 'IAM Identity Center issues SCIM tokens for one year';
/** SSM's advanced tier holds 8 KB; anything longer did not come from a sane registration. */
export const MAX_VALUE_CHARS = 8192;

const STRING_FIELDS = {
  tokenId: 128,
  instanceArn: 256,
  account: 12,
  identityProvider: 64,
  owner: 256,
  notes: 1024,
} as const;
const KNOWN_FIELDS = new Set(['createdAt', 'expiresAt', 'validityDays', ...Object.keys(STRING_FIELDS)]);
const INSTANCE_ARN = /^arn:aws[a-z-]*:sso:::instance\/[A-Za-z0-9._-]+$/;
const ACCOUNT_ID = /^\d{12}$/;

/** The token's name: the parameter name after the registry prefix (`okta-prod`, `prod/okta`). */
export function tokenName(parameterName: string, prefix: string): string {
  return parameterName.startsWith(prefix) ? parameterName.slice(prefix.length) : parameterName;
}

/**
 * A registration's revision: its version and when it was written. SSM restarts versions at 1
 * when a parameter is deleted and created again; the write time tells the two apart.
 */
export function revisionOf(registration: { readonly version: number; readonly lastModified?: Date }): string {
  return registration.lastModified
    ? `${registration.version}@${registration.lastModified.toISOString()}`
    : String(registration.version);
}

class Invalid extends Error {}

function fail(reason: string): never {
  throw new Invalid(reason);
}

function instantField(field: string, value: unknown): { instant: Date; dateOnly: boolean } {
  if (typeof value !== 'string') fail(`${field} must be a string, got ${typeName(value)}`);
  const parsed = parseIsoInstant(value.trim());
  if (!parsed.ok) fail(`${field} ${excerpt(value)} ${parsed.reason}`);
  return parsed;
}

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

function parseJsonObject(value: string): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    fail('value is neither an ISO date nor valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    fail(`value must be a JSON object, got ${typeName(parsed)}`);
  }
  return parsed as Record<string, unknown>;
}

function fromFields(
  fields: Record<string, unknown>,
  base: Pick<Token, 'name' | 'parameterName' | 'version' | 'revision'>,
  rules: RegistrationRules,
  now: Date,
): Token {
  const unknown = Object.keys(fields).filter((k) => !KNOWN_FIELDS.has(k));
  if (unknown.length > 0) {
    fail(`unknown field ${excerpt(unknown[0])}; allowed: ${[...KNOWN_FIELDS].join(', ')}`);
  }
  const extras: Record<string, string> = {};
  for (const [field, maxChars] of Object.entries(STRING_FIELDS)) {
    const v = fields[field];
    if (v === undefined) continue;
    if (typeof v !== 'string') fail(`${field} must be a string, got ${typeName(v)}`);
    if (v.length > maxChars) fail(`${field} is longer than ${maxChars} characters`);
    const clean = oneLine(v, maxChars);
    if (clean !== '') extras[field] = clean;
  }
  if (extras.instanceArn !== undefined && !INSTANCE_ARN.test(extras.instanceArn)) {
    fail(`instanceArn ${excerpt(extras.instanceArn)} is not an IAM Identity Center instance ARN`);
  }
  if (extras.account !== undefined && !ACCOUNT_ID.test(extras.account)) {
    fail(`account ${excerpt(extras.account)} is not a 12-digit AWS account ID`);
  }
  if (extras.identityProvider !== undefined) extras.identityProvider = extras.identityProvider.toLowerCase();

  let validityDays = rules.defaultValidityDays;
  if (fields.validityDays !== undefined) {
    const v = fields.validityDays;
    if (typeof v !== 'number' || !Number.isInteger(v)) {
      fail(`validityDays must be a whole number, got ${excerpt(v)}`);
    }
    if (v < MIN_VALIDITY_DAYS || v > MAX_VALIDITY_DAYS) {
      fail(`validityDays ${v} is outside ${MIN_VALIDITY_DAYS}..${MAX_VALIDITY_DAYS}: ${ONE_YEAR_REASON}`);
    }
    validityDays = v;
  }

  if (fields.createdAt === undefined && fields.expiresAt === undefined) {
    fail('createdAt is required (or give expiresAt)');
  }
  const created = fields.createdAt === undefined ? undefined : instantField('createdAt', fields.createdAt);
  if (created && created.instant.getTime() > now.getTime()) {
    fail(`createdAt ${excerpt(fields.createdAt)} is in the future`);
  }
  const explicit = fields.expiresAt === undefined ? undefined : instantField('expiresAt', fields.expiresAt);
  if (created && explicit && explicit.instant.getTime() <= created.instant.getTime()) {
    fail('expiresAt must be after createdAt');
  }
  const latest = addDays(created?.instant ?? now, MAX_VALIDITY_DAYS);
  if (explicit && explicit.instant.getTime() > latest.getTime()) {
    fail(
      `expiresAt ${excerpt(fields.expiresAt)} is more than ${MAX_VALIDITY_DAYS} days after ${created ? 'createdAt' : 'today'}: ${ONE_YEAR_REASON}`,
    );
  }
  const expiresAt = explicit?.instant ?? addDays((created as { instant: Date }).instant, validityDays);
  return {
    ...base,
    ...extras,
    source: 'json',
    ...(created ? { createdAt: created.instant } : {}),
    expiresAt,
    expiryExplicit: explicit !== undefined,
    validityDays,
  };
}

/**
 * Turns one registry parameter into a token, or into the reason it is not one.
 * Never throws for bad input: a registration's problems are data, reported as an alert.
 */
export function parseRegistration(
  param: RegistryParameter,
  rules: RegistrationRules,
  now: Date,
): Registration {
  const base = {
    name: tokenName(param.name, rules.prefix),
    parameterName: param.name,
    version: param.version,
    revision: revisionOf(param),
    ...(param.lastModified && !Number.isNaN(param.lastModified.getTime())
      ? { modifiedAt: param.lastModified }
      : {}),
  };
  try {
    if (param.type === 'SecureString') {
      // The value is the token itself (encrypted): never read. Its last write is its creation.
      const created = param.lastModified;
      if (!created || Number.isNaN(created.getTime())) fail('SecureString has no LastModifiedDate');
      return {
        valid: true,
        token: {
          ...base,
          source: 'secure-string',
          createdAt: created,
          expiresAt: addDays(created, rules.defaultValidityDays),
          expiryExplicit: false,
          validityDays: rules.defaultValidityDays,
        },
      };
    }
    if (param.type !== 'String') {
      fail(
        `parameter type ${excerpt(param.type)} is not supported: use String (JSON or an ISO date) or SecureString`,
      );
    }
    if (param.value.length > MAX_VALUE_CHARS) fail(`value is longer than ${MAX_VALUE_CHARS} characters`);
    const text = param.value.trim();
    if (text === '') fail('value is empty');
    if (!text.startsWith('{') && /^\d{4}-/.test(text)) {
      const created = instantField('value', text);
      if (created.instant.getTime() > now.getTime()) fail(`createdAt ${excerpt(text)} is in the future`);
      return {
        valid: true,
        token: {
          ...base,
          source: 'date',
          createdAt: created.instant,
          expiresAt: addDays(created.instant, rules.defaultValidityDays),
          expiryExplicit: false,
          validityDays: rules.defaultValidityDays,
        },
      };
    }
    return { valid: true, token: fromFields(parseJsonObject(text), base, rules, now) };
  } catch (error) {
    if (error instanceof Invalid) return { valid: false, invalid: { ...base, reason: error.message } };
    throw error;
  }
}
