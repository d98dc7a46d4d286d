/**
 * The alert as data: the one shape every channel renders from (email text, Chatbot, Slack Block
 * Kit, the JSON payload, SNS attributes). Types only, so renderers and readers depend on it and
 * never on each other.
 */
import type { AlertType, DigestEntry } from './alert';
import type { Severity } from './severity';

/** The machine-readable alert (SNS `sqs`/`lambda`/`https` bodies, EventBridge `detail`). */
export interface AlertPayload {
  readonly schemaVersion: 1;
  readonly alertType: AlertType;
  readonly severity: Severity;
  readonly tokenName: string | null;
  readonly parameterName: string | null;
  readonly daysRemaining: number | null;
  readonly threshold: number | null;
  readonly expiresAt: string | null;
  readonly expiryDate: string | null;
  readonly createdAt: string | null;
  readonly tokenId: string | null;
  readonly tokenSource: 'json' | 'date' | 'secure-string' | 'aws-health' | null;
  readonly identityProvider: string | null;
  readonly owner: string | null;
  /** The registration's notes (free text; shown defanged, kept in the rotation command). */
  readonly notes: string | null;
  readonly reason: string | null;
  readonly account: string | null;
  readonly region: string;
  readonly instance: { readonly instanceArn: string; readonly identityStoreId: string | null } | null;
  readonly consoleUrl: string;
  readonly evaluatedAt: string;
  /** For repeated alerts (still expired, still invalid): which reminder this is; otherwise null. */
  readonly reminder: number | null;
  /** For `token-rotated` and `token-date-moved`: the expiry the token had before (ISO). */
  readonly previousExpiresAt?: string;
  /** For `digest`: the alerts it shows (the most urgent first). */
  readonly digest?: readonly DigestEntry[];
  /** For `digest`: how many more alerts it holds than it shows (cut to fit the size limits). */
  readonly digestOmitted?: number;
}

/** SNS message attributes: string values, and numbers where a filter policy compares them. */
export interface AlertAttributes {
  readonly alertType: AlertType;
  readonly severity: Severity;
  readonly tokenName?: string;
  readonly daysRemaining?: number;
  readonly threshold?: number;
  readonly reminder?: number;
  /** The registration's owner, for subscription filter policies that route a team's tokens to it. */
  readonly owner?: string;
  /** The canonical identity provider (`okta`, `entra-id`, …), for filter policies too. */
  readonly identityProvider?: string;
}
