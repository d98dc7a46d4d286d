/**
 * Zero-touch: a token AWS Health announces that no registration matches is adopted, so the normal
 * 60/30/7/expired lifecycle runs with nothing registered by hand. Adopted registrations live in
 * the monitor's ledger (one index record), never in the operators' registry. An operator who later
 * registers the same token takes over: the adopted one steps aside and hands its alert state to
 * the registration, so no alert repeats. Pure: the index, the notice and `now` are arguments.
 */
import { DEFAULTS } from './contract';
import { MS_PER_DAY } from './dates';
import { matchingToken, type NoticeScope } from './matching';
import type { Registration, Token } from './registration';

/** The ledger record that lists every adopted token. */
export const ADOPTED_KEY = 'adopted';
/** Adopted names start with this: they cannot clash with a registry name, which has no `@`. */
export const ADOPTED_PREFIX = 'aws-health@';

export interface AdoptedToken {
  /** The instant AWS announced, ISO 8601. */
  readonly expiresAt: string;
  readonly eventArn: string;
  /** The account and region AWS Health told (an organization's management account, say). */
  readonly account?: string;
  readonly region?: string;
  /** The instance, when the notice named it. */
  readonly instanceArn?: string;
  readonly adoptedAt: string;
}

export type AdoptedIndex = Readonly<Record<string, AdoptedToken>>;

/**
 * `aws-health@2027-01-15T10:30Z`: one per announced instant, so two tokens a day apart stay two;
 * `aws-health@210987654321@2027-01-15T10:30Z` for a notice of another account than the monitor's
 * (`foreignAccount`), so two accounts' tokens expiring together stay two.
 */
export function adoptedName(expiresAt: Date, foreignAccount?: string): string {
  return `${ADOPTED_PREFIX}${foreignAccount ? `${foreignAccount}@` : ''}${expiresAt.toISOString().slice(0, 16)}Z`;
}

export function isAdopted(name: string): boolean {
  return name.startsWith(ADOPTED_PREFIX);
}

export function parseAdoptedIndex(text: string | undefined): AdoptedIndex {
  if (text === undefined) return {};
  try {
    const o = JSON.parse(text) as Record<string, Partial<AdoptedToken>>;
    const index: Record<string, AdoptedToken> = {};
    for (const [name, a] of Object.entries(o ?? {})) {
      if (!isAdopted(name) || typeof a?.expiresAt !== 'string' || typeof a.eventArn !== 'string') continue;
      if (Number.isNaN(new Date(a.expiresAt).getTime())) continue;
      index[name] = {
        expiresAt: a.expiresAt,
        eventArn: a.eventArn,
        ...(typeof a.account === 'string' ? { account: a.account } : {}),
        ...(typeof a.region === 'string' ? { region: a.region } : {}),
        ...(typeof a.instanceArn === 'string' ? { instanceArn: a.instanceArn } : {}),
        adoptedAt: typeof a.adoptedAt === 'string' ? a.adoptedAt : a.expiresAt,
      };
    }
    return index;
  } catch {
    return {};
  }
}

/** Adopted tokens are forgotten this long after they expired (the weekly reminders stop then). */
export const FORGET_AFTER_DAYS = 90;
/**
 * The index keeps at most this many adopted tokens (the latest expiries): one ledger item, far
 * below DynamoDB's 400 KB whatever AWS Health sends (an entry is about 300 bytes).
 */
export const MAX_ADOPTED = 200;

/** The adopted tokens still worth watching: not forgotten, and the latest `MAX_ADOPTED`. */
export function pruned(index: AdoptedIndex, now: Date): AdoptedIndex {
  const kept = Object.entries(index)
    .filter(([, a]) => now.getTime() - new Date(a.expiresAt).getTime() <= FORGET_AFTER_DAYS * MS_PER_DAY)
    .sort(([, a], [, b]) => b.expiresAt.localeCompare(a.expiresAt))
    .slice(0, MAX_ADOPTED);
  return Object.fromEntries(kept);
}

/** The notice's scope, as an adopted token remembers it. */
export function scopeOf(a: Pick<AdoptedToken, 'account' | 'instanceArn'>): NoticeScope {
  return {
    ...(a.account ? { account: a.account } : {}),
    ...(a.instanceArn ? { instanceArn: a.instanceArn } : {}),
  };
}

/**
 * The index with the notice's token in it, pruned; `added` false when it already was (a repeat, a
 * backup copy). `ownAccount` is the monitor's: a notice of another account gets a name of its own.
 */
export function adopt(
  index: AdoptedIndex,
  notice: {
    readonly expiresAt: Date;
    readonly eventArn: string;
    readonly account?: string;
    readonly region?: string;
    readonly instanceArn?: string;
  },
  now: Date,
  ownAccount?: string,
): { readonly index: AdoptedIndex; readonly name: string; readonly added: boolean } {
  const foreign = notice.account && notice.account !== ownAccount ? notice.account : undefined;
  const name = adoptedName(notice.expiresAt, foreign);
  if (index[name]) return { index, name, added: false };
  return {
    index: pruned(
      {
        ...index,
        [name]: {
          expiresAt: notice.expiresAt.toISOString(),
          eventArn: notice.eventArn,
          ...(notice.account ? { account: notice.account } : {}),
          ...(notice.region ? { region: notice.region } : {}),
          ...(notice.instanceArn ? { instanceArn: notice.instanceArn } : {}),
          adoptedAt: now.toISOString(),
        },
      },
      now,
    ),
    name,
    added: true,
  };
}

/** The adopted token as a registration the lifecycle evaluates like any other. */
export function adoptedToken(name: string, a: AdoptedToken): Token {
  const expiresAt = new Date(a.expiresAt);
  return {
    name,
    parameterName: `AWS Health event ${a.eventArn}`,
    version: 1,
    revision: a.eventArn,
    source: 'aws-health',
    // IAM Identity Center issues tokens for one year (the notice gives only the expiry).
    createdAt: new Date(expiresAt.getTime() - DEFAULTS.validityDays * MS_PER_DAY),
    expiresAt,
    expiryExplicit: true,
    validityDays: DEFAULTS.validityDays,
    ...(a.account ? { account: a.account } : {}),
    ...(a.instanceArn ? { instanceArn: a.instanceArn } : {}),
    notes: `Adopted from AWS Health (${a.account ? `account ${a.account}, ` : ''}${a.region ?? 'its region'}): nobody registered this token. Register it to add its owner and identity provider; this entry then steps aside.`,
  };
}

export interface Adoption {
  /** The registrations to evaluate: the registry's, plus the adopted tokens nobody registered. */
  readonly registrations: readonly Registration[];
  /** Registered token name -> the adopted name it took over (its alert state carries over). */
  readonly takeovers: ReadonlyMap<string, string>;
}

/** Adds the adopted tokens nobody has registered; a registered match takes over instead. */
export function withAdopted(
  registrations: readonly Registration[],
  index: AdoptedIndex,
  now: Date,
): Adoption {
  const registered = registrations.flatMap((r) => (r.valid ? [r.token] : []));
  const added: Registration[] = [];
  const takeovers = new Map<string, string>();
  for (const [name, a] of Object.entries(index)) {
    const expiresAt = new Date(a.expiresAt);
    if (now.getTime() - expiresAt.getTime() > FORGET_AFTER_DAYS * MS_PER_DAY) continue;
    const owner = matchingToken(expiresAt, registered, scopeOf(a));
    if (owner) takeovers.set(owner.name, name);
    else added.push({ valid: true, token: adoptedToken(name, a) });
  }
  return { registrations: [...registrations, ...added], takeovers };
}

/**
 * The state a registered token starts from after a takeover: its own when it has alerted before,
 * else the adopted token's, so the thresholds already alerted are not alerted again.
 */
export function inherited<
  S extends { readonly alertedThresholds: readonly number[]; readonly expiredAlerted: boolean },
>(own: S, adopted: S, expiresAt: Date): S {
  const ownAlerted = own.alertedThresholds.length > 0 || own.expiredAlerted;
  // The lifecycle is the registration's now (its date may be a few hours off AWS's instant).
  return ownAlerted ? own : { ...adopted, expiresAt: expiresAt.toISOString() };
}
