/**
 * The IAM Identity Center SCIM endpoint, asked a harmless question (`ServiceProviderConfig`) with
 * a token, to learn whether the endpoint accepts that token. The token is sent only in the
 * Authorization header and never appears in a result, a log or an error.
 */

export type ProbeOutcome = 'accepted' | 'rejected' | 'not-found' | 'unreachable' | 'unexpected';

export interface ProbeResult {
  readonly outcome: ProbeOutcome;
  readonly status?: number;
  /** For people: what happened and what to check. Never contains the token. */
  readonly message: string;
}

/**
 * The endpoint as the console shows it (`https://scim.<region>.amazonaws.com/<tenant>/scim/v2/`).
 * Plain http is accepted only for a local test server.
 */
export function scimEndpoint(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.endsWith('/') ? text : `${text}/`);
  } catch {
    throw new Error(
      `"${text}" is not a URL: copy the SCIM endpoint from IAM Identity Center > Settings > Identity source > Automatic provisioning.`,
    );
  }
  const local = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (url.protocol !== 'https:' && !(local && url.protocol === 'http:')) {
    throw new Error(`The SCIM endpoint must use https, got "${url.protocol}".`);
  }
  return url;
}

export async function probeScimToken(endpoint: URL, token: string, timeoutMs = 10_000): Promise<ProbeResult> {
  let status: number;
  try {
    const res = await fetch(new URL('ServiceProviderConfig', endpoint), {
      headers: { authorization: `Bearer ${token}`, accept: 'application/scim+json, application/json' },
      signal: AbortSignal.timeout(timeoutMs),
    });
    status = res.status;
    await res.body?.cancel();
  } catch (error) {
    // The cause names the failure (ECONNREFUSED, ENOTFOUND, a timeout); none of it holds the token.
    const c = (error as { cause?: { code?: string; message?: string } }).cause;
    const cause = c?.code ?? c?.message ?? (error as Error).name;
    return {
      outcome: 'unreachable',
      message: `Could not reach the SCIM endpoint ${endpoint.host} (${cause}).`,
    };
  }
  if (status >= 200 && status < 300) {
    return { outcome: 'accepted', status, message: 'IAM Identity Center accepted the token.' };
  }
  if (status === 401 || status === 403) {
    return {
      outcome: 'rejected',
      status,
      message: `IAM Identity Center rejected the token (HTTP ${status}): it is mistyped, expired or deleted.`,
    };
  }
  if (status === 404) {
    return {
      outcome: 'not-found',
      status,
      message: 'No SCIM endpoint there (HTTP 404): check the endpoint URL, tenant part included.',
    };
  }
  return { outcome: 'unexpected', status, message: `The SCIM endpoint answered HTTP ${status}.` };
}
