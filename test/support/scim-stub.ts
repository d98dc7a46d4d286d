/**
 * A local stand-in for an IAM Identity Center SCIM endpoint: `ServiceProviderConfig` answers 200
 * with a SCIM ServiceProviderConfig for the tokens it accepts, 401 for any other, 404 elsewhere;
 * `answer` overrides that for a test (a redirect, a throttle, a look-alike body). The shipped code
 * keeps its pinned endpoint (`https://scim.us-east-1.amazonaws.com/…`): scim-route.cjs carries
 * those requests here, in-process (`route()`) or in a child process (`env`).
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';

const { routeScimTo } = require('./scim-route.cjs') as { routeScimTo: (origin: string) => () => void };

export const SCIM_ROUTE_PRELOAD = path.join(__dirname, 'scim-route.cjs');

/** The endpoint as the console shows it for an instance in us-east-1. */
export const PINNED_ENDPOINT = 'https://scim.us-east-1.amazonaws.com/tenant-123/scim/v2/';

export interface ScimStub {
  /** The endpoint as the console would show it (IAM Identity Center's host, routed here). */
  readonly endpoint: string;
  /** Where the stub listens. */
  readonly origin: string;
  /** Tokens answered with 200; any other gets 401. */
  readonly accepted: Set<string>;
  /** Every request, as "METHOD path". */
  readonly seen: string[];
  /** The host each request was meant for. */
  readonly hosts: string[];
  /** A test's own answer; return true when it answered. */
  answer?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** For a child process: preload the router, point it here. */
  readonly env: Record<string, string>;
  /** In this process: route IAM Identity Center's SCIM hosts here; returns the undo. */
  route(): () => void;
  close(): Promise<void>;
}

/** Routes child processes to `origin` (a closed port makes the endpoint unreachable). */
export function scimRouteEnv(origin: string): Record<string, string> {
  return { NODE_OPTIONS: `--require ${SCIM_ROUTE_PRELOAD}`, SCIM_STUB_ORIGIN: origin };
}

export { routeScimTo };

export async function startScimStub(...goodTokens: string[]): Promise<ScimStub> {
  const server: Server = createServer((req, res) => {
    stub.seen.push(`${req.method} ${req.url}`);
    stub.hosts.push(String(req.headers['x-test-original-host'] ?? req.headers.host));
    if (stub.answer?.(req, res)) return;
    if (!req.url?.endsWith('/scim/v2/ServiceProviderConfig')) return void res.writeHead(404).end();
    const ok = stub.accepted.has((req.headers.authorization ?? '').replace(/^Bearer /, ''));
    res.writeHead(ok ? 200 : 401, { 'content-type': 'application/scim+json' }).end(
      ok
        ? JSON.stringify({
            schemas: ['urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig'],
            patch: { supported: true },
          })
        : '{"schemas":["urn:ietf:params:scim:api:messages:2.0:Error"],"status":"401"}',
    );
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const stub: ScimStub = {
    endpoint: PINNED_ENDPOINT,
    origin,
    accepted: new Set(goodTokens),
    seen: [],
    hosts: [],
    env: scimRouteEnv(origin),
    route: () => routeScimTo(origin),
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
  return stub;
}
