/**
 * A local stand-in for an IAM Identity Center SCIM endpoint: `ServiceProviderConfig` answers 200
 * with a SCIM ServiceProviderConfig for the one token it knows, 401 for any other, 404 elsewhere.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScimStub {
  /** The endpoint as the console would show it (a local http URL: the CLI allows only loopback). */
  readonly endpoint: string;
  /** Every request, as "METHOD path". */
  readonly seen: string[];
  close(): Promise<void>;
}

export async function startScimStub(goodToken: string): Promise<ScimStub> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    seen.push(`${req.method} ${req.url}`);
    if (!req.url?.endsWith('/scim/v2/ServiceProviderConfig')) return void res.writeHead(404).end();
    const ok = req.headers.authorization === `Bearer ${goodToken}`;
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
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}/tenant-123/scim/v2/`,
    seen,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}
