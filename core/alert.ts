import { consoleUrl, type Instance } from './instances';
import type { ProvisioningView } from './provisioning-view';
import type { Token } from './registration';
import type { Severity } from './severity';

/**
 * `unregistered-token`: AWS Health announced an expiry that no registration matches.
 * `token-rejected`: the SCIM endpoint no longer accepts a stored token (opt-in daily probe).
 * `probe-inconclusive`: the probe of a stored token has had no answer for several days.
 * `token-date-moved`: a SecureString was rewritten while its token was inside a threshold, which
 * moved its apparent creation date (a re-applied value looks exactly like a rotation).
 * `monitor-alarm`: one of the monitor's own CloudWatch alarms changed state (relayed, so it carries
 * the same attributes, and reaches the same filtered subscribers, as the alerts).
 * `digest`: alerts of one severity grouped into one message, when more are due in a run than
 * `digestAfter` (flood control).
 * `health-notice-unreadable`: AWS Health sent a SCIM token notice the monitor could not read.
 * `subscribers-dropped`: the alert topic has fewer confirmed subscriptions than before (or none).
 * `scim-calls-failing`: more SCIM calls failed in a run's window than `provisioningFailuresAbove`
 * (opt-in), grouped by error code.
 * `scim-calls-silent`: no successful SCIM call for `provisioningSilentHours` (opt-in).
 * `test` is sent only on request (`scim-token-monitor test-alert`), to check delivery.
 */
export type AlertType =
  | 'expiry-warning'
  | 'expired'
  | 'invalid-registration'
  | 'no-tokens'
  | 'unregistered-token'
  | 'token-rejected'
  | 'probe-inconclusive'
  | 'token-date-moved'
  | 'monitor-alarm'
  | 'digest'
  | 'health-notice-unreadable'
  | 'subscribers-dropped'
  | 'token-rotated'
  | 'scim-calls-failing'
  | 'scim-calls-silent'
  | 'test';

/** One alert inside a digest, as the digest shows it. */
export interface DigestEntry {
  readonly tokenName: string | null;
  readonly alertType: AlertType;
  readonly severity: Severity;
  readonly daysRemaining: number | null;
  /** The threshold (days) the alert is for; 0 for `expired`; null for other alerts. */
  readonly threshold: number | null;
  readonly expiryDate: string | null;
}

/** Everything one alert says, before it is rendered for a channel. */
export interface Alert {
  readonly alertType: AlertType;
  readonly severity: Severity;
  /** The evaluation instant (the scheduled event's time). */
  readonly evaluatedAt: Date;
  readonly tokenName?: string;
  readonly parameterName?: string;
  /** The registration, for expiry alerts. */
  readonly token?: Token;
  readonly daysRemaining?: number;
  /** The threshold (days) this alert is for; 0 for `expired`. */
  readonly threshold?: number;
  /** For repeated alerts (still expired, still invalid): 1 for the first reminder, and so on. */
  readonly reminder?: number;
  /** For `monitor-alarm`: the alarm's name and the state it entered. */
  readonly alarm?: { readonly name: string; readonly state: string };
  /** For `digest`: the alerts it shows. */
  readonly digest?: readonly DigestEntry[];
  /** For `digest`: how many more it holds than it shows (cut to fit the channels' size limits). */
  readonly digestOmitted?: number;
  /** For `subscribers-dropped`: confirmed subscriptions before and now, and pending ones. */
  readonly subscribers?: { readonly before: number; readonly now: number; readonly pending: number };
  /** For `token-date-moved`: the expiry before the rewrite. */
  readonly previousExpiry?: Date;
  /** The next alert this token will get if nothing changes. */
  readonly next?: { readonly threshold: number; readonly date: Date } | { readonly expired: Date };
  /** For `unregistered-token`: the expiry AWS Health announced. */
  readonly announcedExpiry?: Date;
  /** Why a registration is invalid; for `unregistered-token`, AWS Health's description. */
  readonly reason?: string;
  readonly parameterVersion?: number;
  readonly instance?: Instance;
  readonly consoleUrl: string;
  readonly account?: string;
  /** The deployment's name (`environmentName`), shown before the account in subjects. */
  readonly environmentName?: string;
  readonly region: string;
  readonly registryPrefix: string;
  /** The schedule's IANA time zone, when not UTC. */
  readonly timeZone?: string;
  /** For `scim-calls-failing`: how many calls failed in the window (a lower bound if it was cut). */
  readonly failedCalls?: { readonly count: number; readonly atLeast: boolean };
  /** What CloudTrail's SCIM calls say of provisioning (token alerts, when observed). */
  readonly provisioning?: ProvisioningView;
}

/** Where an alert comes from: the deployment, and the IAM Identity Center instance if known. */
export interface AlertOrigin {
  readonly region: string;
  readonly account?: string;
  readonly environmentName?: string;
  readonly registryPrefix: string;
  readonly instance?: Instance;
  /** The schedule's IANA time zone, when not UTC: bodies add instants in it. */
  readonly timeZone?: string;
}

/** The fields every alert carries about its origin, the console link included. */
export function originFields(
  origin: AlertOrigin,
): Pick<
  Alert,
  'instance' | 'consoleUrl' | 'region' | 'account' | 'environmentName' | 'registryPrefix' | 'timeZone'
> {
  return {
    ...(origin.instance ? { instance: origin.instance } : {}),
    consoleUrl: consoleUrl(origin.region, origin.instance),
    region: origin.region,
    ...(origin.account ? { account: origin.account } : {}),
    ...(origin.environmentName ? { environmentName: origin.environmentName } : {}),
    registryPrefix: origin.registryPrefix,
    ...(origin.timeZone ? { timeZone: origin.timeZone } : {}),
  };
}
