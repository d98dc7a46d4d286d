/**
 * The IAM Identity Center SCIM endpoint, asked a harmless question (`ServiceProviderConfig`) with
 * a token, to learn whether the endpoint accepts that token. The endpoint is pinned to IAM
 * Identity Center's hosts (see core/scim-endpoint.ts) and redirects are never followed, so the
 * token goes nowhere else. The token is sent only in the Authorization header and never appears
 * in a result, a log or an error.
 */
import type { ScimEndpoint } from '../core/scim-endpoint';

export { parseScimEndpoint, type ScimEndpoint } from '../core/scim-endpoint';

/**
 * - accepted: 200 with a SCIM ServiceProviderConfig body;
 * - rejected: 401/403 (a wrong, expired or deleted token, or a wrong tenant ID);
 * - not-found: 404; misconfigured: a redirect or a 200 that is not SCIM;
 * - unavailable: 429 or 5xx (try again later); unreachable: no answer; unexpected: anything else.
 */
export type ProbeOutcome =
  | 'accepted'
  | 'rejected'
  | 'not-found'
  | 'misconfigured'
  | 'unavailable'
  | 'unreachable'
  | 'unexpected';

export interface ProbeResult {
  readonly outcome: ProbeOutcome;
  readonly status?: number;
  /** For people: what happened and what to check. Never contains the token. */
  readonly message: string;
}

const SERVICE_PROVIDER_CONFIG = 'urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig';
/** A ServiceProviderConfig is a few hundred bytes; more than this is not one. */
const MAX_BODY_BYTES = 64 * 1024;

async function isServiceProviderConfig(res: Response): Promise<boolean> {
  const length = Number(res.headers.get('content-length') ?? 0);
  if (length > MAX_BODY_BYTES) return false;
  const text = await res.text();
  if (text.length > MAX_BODY_BYTES) return false;
  try {
    const body = JSON.parse(text) as { schemas?: unknown };
    return Array.isArray(body.schemas) && body.schemas.includes(SERVICE_PROVIDER_CONFIG);
  } catch {
    return false;
  }
}

export async function probeScimToken(
  endpoint: ScimEndpoint,
  token: string,
  timeoutMs = 10_000,
): Promise<ProbeResult> {
  const host = endpoint.url.host;
  let res: Response;
  try {
    res = await fetch(new URL('ServiceProviderConfig', endpoint.url), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/scim+json, application/json' },
      // A redirect would carry the question elsewhere: it is reported, never followed.
      redirect: 'manual',
      signal: AbortSignal.timeout(timeoutMs),
    });
  } catch (error) {
    // The cause names the failure (ECONNREFUSED, ENOTFOUND, a timeout); none of it holds the token.
    const c = (error as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (error as Error).name;
    return { outcome: 'unreachable', message: `Could not reach the SCIM endpoint ${host} (${cause}).` };
  }
  const status = res.status;
  try {
    if (status === 200) {
      if (await isServiceProviderConfig(res)) {
        return { outcome: 'accepted', status, message: 'IAM Identity Center accepted the token.' };
      }
      return {
        outcome: 'misconfigured',
        status,
        message: `${host} answered HTTP 200 without a SCIM ServiceProviderConfig: that is not IAM Identity Center's SCIM endpoint.`,
      };
    }
    if (status >= 300 && status < 400) {
      return {
        outcome: 'misconfigured',
        status,
        message: `The SCIM endpoint redirected (HTTP ${status}); IAM Identity Center never does, so the endpoint is wrong. The redirect was not followed.`,
      };
    }
    if (status === 401 || status === 403) {
      return {
        outcome: 'rejected',
        status,
        message: `IAM Identity Center rejected the token (HTTP ${status}): it is mistyped, expired or deleted, or the tenant ID in the endpoint is not this instance's.`,
      };
    }
    if (status === 404) {
      return {
        outcome: 'not-found',
        status,
        message: 'No SCIM endpoint there (HTTP 404): check the endpoint URL, tenant part included.',
      };
    }
    if (status === 429 || status >= 500) {
      const retry = res.headers.get('retry-after');
      return {
        outcome: 'unavailable',
        status,
        message: `IAM Identity Center could not answer now (HTTP ${status}${retry ? `, retry after ${retry.slice(0, 40)}` : ''}): try again later; this says nothing about the token.`,
      };
    }
    return { outcome: 'unexpected', status, message: `The SCIM endpoint answered HTTP ${status}.` };
  } finally {
    await res.body?.cancel().catch(() => undefined);
  }
}
