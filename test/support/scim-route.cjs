/**
 * Test only, never shipped: sends every request for IAM Identity Center's SCIM hosts
 * (`scim.<region>.amazonaws.com[.cn]`) to a local stand-in instead, so the shipped code runs with
 * its pinned endpoint unchanged. Preloaded into child processes with
 * `NODE_OPTIONS=--require <this file>` and `SCIM_STUB_ORIGIN=http://127.0.0.1:<port>`; installed
 * in-process with `routeScimTo(origin)`. The original host travels as `x-test-original-host`.
 */
'use strict';

const SCIM_HOST = /^scim\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/;

function routeScimTo(origin) {
  const real = globalThis.fetch;
  globalThis.fetch = (input, init) => {
    const url = new URL(typeof input === 'string' || input instanceof URL ? input : input.url);
    if (!SCIM_HOST.test(url.hostname) || url.protocol !== 'https:' || url.port !== '')
      return real(input, init);
    const headers = new Headers(init?.headers);
    headers.set('x-test-original-host', url.hostname);
    return real(new URL(`${url.pathname}${url.search}`, origin), { ...init, headers });
  };
  return () => {
    globalThis.fetch = real;
  };
}

if (process.env.SCIM_STUB_ORIGIN) routeScimTo(process.env.SCIM_STUB_ORIGIN);

module.exports = { routeScimTo };
