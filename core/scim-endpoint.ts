/**
 * IAM Identity Center's SCIM endpoint, pinned: a token is only ever sent to
 * `https://scim.<region>.amazonaws.com/<tenant>/scim/v2/` (or the China partition's
 * `scim.<region>.amazonaws.com.cn`). Anything else (another host, a user-info part such as
 * `scim.us-east-1.amazonaws.com@evil.example`, a port, a query, plain http) is refused before any
 * token is read. Pure: the synth-time check, the CLI and the Lambda share it.
 */

/** `scim.<region>.amazonaws.com` or `scim.<region>.amazonaws.com.cn`, region as AWS names them. */
const HOST = /^scim\.([a-z]{2}(?:-[a-z]+)+-\d{1,2})\.amazonaws\.com(\.cn)?$/;
/** `/<tenant>/scim/v2/`: the tenant is one path segment of URL-safe characters. */
const PATH = /^\/([A-Za-z0-9_=-]{1,128})\/scim\/v2\/?$/;

export interface ScimEndpoint {
  /** The endpoint with a trailing slash, ready for `new URL('ServiceProviderConfig', url)`. */
  readonly url: URL;
  /** The region in the host: SCIM works only in the instance's primary region. */
  readonly region: string;
  readonly tenant: string;
}

import { oneLine } from './text';

const WHERE = 'copy it from IAM Identity Center > Settings > Identity source > Automatic provisioning';

/** The endpoint, or an Error whose one-line message says what is wrong with it. */
export function parseScimEndpoint(text: string): ScimEndpoint {
  const shown = JSON.stringify(oneLine(text, 200));
  let url: URL;
  try {
    url = new URL(text.trim().endsWith('/') ? text.trim() : `${text.trim()}/`);
  } catch {
    throw new Error(`The SCIM endpoint ${shown} is not a URL: ${WHERE}.`);
  }
  const bad = (why: string) =>
    new Error(
      `The SCIM endpoint ${shown} ${why}: it must be https://scim.<region>.amazonaws.com/<tenant>/scim/v2/ (${WHERE}).`,
    );
  if (url.protocol !== 'https:') throw bad(`uses ${url.protocol.replace(':', '')}, not https`);
  if (url.username || url.password) throw bad('has a user-info part before the host');
  if (url.port) throw bad(`names a port (${url.port})`);
  if (url.search || url.hash) throw bad('has a query or fragment');
  const host = HOST.exec(url.hostname);
  if (!host) throw bad(`is on ${url.hostname}, not IAM Identity Center's SCIM host`);
  const path = PATH.exec(url.pathname);
  if (!path) throw bad('does not have the /<tenant>/scim/v2/ path');
  return { url, region: host[1] as string, tenant: path[1] as string };
}
