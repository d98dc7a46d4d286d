/**
 * The opt-in probe of stored tokens, through the synthesized bundle: what it alerts, what it
 * decrypts, and that it never holds back the alerts (it runs last, within a time budget).
 */
import type { ServerResponse } from 'node:http';
import { invokeBundle } from '../../tools/bundle';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';
import { PINNED_ENDPOINT, type ScimStub, scimRouteEnv, startScimStub } from '../support/scim-stub';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;

useMonitor();

function subjects() {
  return aws.published.map((p) => p.subject);
}

describe('the synthesized bundle', () => {
  describe('the opt-in probe of stored tokens', () => {
    let scim: ScimStub;

    beforeAll(async () => {
      scim = await startScimStub('the-secret-token-value');
    });
    afterAll(() => scim.close());
    beforeEach(() => {
      scim.seen.length = 0;
      scim.answer = undefined;
    });
    /** The monitor configured to probe prod/vault at IAM Identity Center's endpoint, routed to the stub. */
    const probing = (route: Record<string, string>) => ({
      ...env,
      ...route,
      VERIFY_TOKENS: 'prod/vault',
      SCIM_ENDPOINT: PINNED_ENDPOINT,
    });

    it('alerts once when IAM Identity Center starts refusing a stored token, and decrypts only that one', async () => {
      const probeEnv = probing(scim.env);
      const first = await invokeBundle(bundle, [scheduledEvent('2026-11-02T08:00:00Z')], probeEnv);
      expect(first.results[0]?.ok).toBe(true);
      expect(subjects()).toEqual([
        '[WARNING] 123456789012: SCIM token registration broken is invalid: not monitored',
      ]);
      expect(scim.seen).toEqual(['GET /tenant-123/scim/v2/ServiceProviderConfig']);

      // The token is deleted in the console: from now on the endpoint refuses it.
      scim.accepted.clear();
      aws.resetRecords();
      const { results } = await invokeBundle(
        bundle,
        [scheduledEvent('2026-11-03T08:00:00Z'), scheduledEvent('2026-11-04T08:00:00Z')],
        probeEnv,
      );
      expect(results.every((r) => r.ok)).toBe(true);
      expect(subjects()).toEqual([
        '[CRITICAL] 123456789012: SCIM token prod/vault was REJECTED by IAM Identity Center',
      ]);
      expect(aws.published[0]?.attributes.alertType).toEqual({ dataType: 'String', value: 'token-rejected' });
      const decrypted = aws.calls.filter((c) => c.input.WithDecryption === true).map((c) => c.input.Name);
      expect(decrypted).toEqual([`${prefix}prod/vault`, `${prefix}prod/vault`]);
      expect(JSON.stringify(aws.published)).not.toContain('the-secret-token-value');
    });

    it('probes after the alerts went out, within its time budget, even against an endpoint that never answers', async () => {
      const { createServer } = await import('node:http');
      let publishedBeforeProbe = -1;
      // Accepts the connection and never answers.
      const hung = createServer(() => {
        publishedBeforeProbe = aws.published.length;
      });
      await new Promise<void>((r) => hung.listen(0, '127.0.0.1', r));
      const port = (hung.address() as { port: number }).port;
      try {
        const probeEnv = probing(scimRouteEnv(`http://127.0.0.1:${port}`));
        // 62 s left: the probe's budget is what remains after the minute kept for reporting.
        const started = Date.now();
        const { results } = await invokeBundle(
          bundle,
          [{ event: scheduledEvent('2026-11-16T08:00:00Z'), remainingMs: 62_000 }],
          probeEnv,
        );
        expect(results[0]).toMatchObject({ ok: true, result: { alertsSent: 2, probesInconclusive: 1 } });
        expect(Date.now() - started).toBeLessThan(8_000);
        // Both alerts were out before the probe reached the endpoint.
        expect(publishedBeforeProbe).toBe(2);
      } finally {
        hung.closeAllConnections();
        await new Promise<void>((r) => hung.close(() => r()));
      }
    });

    it('alerts once when the probe has stayed inconclusive for three days', async () => {
      const unreachable = probing(scimRouteEnv('http://127.0.0.1:59999'));
      const days = ['2026-11-02', '2026-11-03', '2026-11-04', '2026-11-05', '2026-11-06'];
      await invokeBundle(
        bundle,
        days.map((d) => scheduledEvent(`${d}T08:00:00Z`)),
        unreachable,
      );
      expect(subjects().filter((s) => s?.includes('prod/vault'))).toEqual([
        '[WARNING] 123456789012: SCIM token prod/vault: daily check inconclusive, cannot tell if it works',
      ]);
    });

    it('counts an unreachable endpoint as inconclusive: no alert, no failed run', async () => {
      const unreachable = probing(scimRouteEnv('http://127.0.0.1:59999'));
      const { results } = await invokeBundle(bundle, [scheduledEvent('2026-11-02T08:00:00Z')], unreachable);
      expect(results[0]).toMatchObject({ ok: true, result: { probesInconclusive: 1, failures: 0 } });
      expect(subjects()).toEqual([
        '[WARNING] 123456789012: SCIM token registration broken is invalid: not monitored',
      ]);
    });

    it.each<[string, (res: ServerResponse) => void]>([
      ['throttles (429)', (res) => void res.writeHead(429, { 'retry-after': '5' }).end()],
      ['fails (500)', (res) => void res.writeHead(500).end()],
      ['redirects elsewhere', (res) => void res.writeHead(307, { location: 'https://evil.example/' }).end()],
      ['answers 200 with something that is not SCIM', (res) => void res.writeHead(200).end('<html></html>')],
    ])(
      'counts an endpoint that %s as inconclusive, never as a rejection or an acceptance',
      async (_label, answer) => {
        scim.answer = (_req, res) => {
          answer(res);
          return true;
        };
        const { results } = await invokeBundle(
          bundle,
          [scheduledEvent('2026-11-02T08:00:00Z')],
          probing(scim.env),
        );
        expect(results[0]).toMatchObject({ ok: true, result: { probesInconclusive: 1, failures: 0 } });
        expect(scim.seen).toEqual(['GET /tenant-123/scim/v2/ServiceProviderConfig']);
        expect(subjects().filter((s) => s?.includes('REJECTED'))).toEqual([]);
      },
    );

    it('never sends the token to an endpoint that is not IAM Identity Center, even if its environment is edited to say so', async () => {
      const { results } = await invokeBundle(bundle, [scheduledEvent('2026-11-02T08:00:00Z')], {
        ...probing(scim.env),
        SCIM_ENDPOINT: `${scim.origin}/tenant-123/scim/v2/`,
      });
      expect(results[0]).toMatchObject({ ok: true, result: { probesInconclusive: 1 } });
      expect(scim.seen).toEqual([]);
      expect(aws.calls.filter((c) => c.input.WithDecryption === true)).toEqual([]);
    });
  });
});
