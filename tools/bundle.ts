/**
 * The Lambda bundle exactly as `cdk synth` produces it, and a way to run it in a fresh Node
 * process (a cold container) against a local endpoint.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { readStackConfig } from '../lib/config';
import { ScimTokenMonitorStack } from '../lib/monitor-stack';

/** Synthesizes the app into a temporary cloud assembly and returns the function's bundled index.js. */
export function synthesizedBundle(context: Record<string, unknown> = {}): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'scim-monitor-cdk-'));
  const app = new App({ outdir, context });
  const stack = new ScimTokenMonitorStack(app, 'ScimTokenMonitor', { config: readStackConfig(app.node) });
  const assembly = app.synth();
  const template = assembly.getStackByName(stack.stackName).template as {
    Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
  };
  const fn = Object.values(template.Resources).find((r) => r.Type === 'AWS::Lambda::Function');
  const hash = String(fn?.Properties.Code?.S3Key).replace(/\.zip$/, '');
  const bundle = path.join(outdir, `asset.${hash}`, 'index.js');
  if (!existsSync(bundle)) throw new Error(`no bundle at ${bundle}`);
  return bundle;
}

// Times the bundle's load (require) and each invocation from inside the fresh process, and
// reports its peak resident memory, after the function's own output.
const RUNNER = `
const [bundle, eventsJson] = process.argv.slice(1);
const MARK = '@@invocations@@';
const t0 = process.hrtime.bigint();
const { handler } = require(bundle);
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
(async () => {
  const out = [];
  for (const event of JSON.parse(eventsJson)) {
    const t = process.hrtime.bigint();
    const c = process.cpuUsage();
    const timing = () => { const u = process.cpuUsage(c); return { ms: Number(process.hrtime.bigint() - t) / 1e6, cpuMs: (u.user + u.system) / 1e3 }; };
    try { const result = await handler(event); out.push({ ok: true, result, ...timing() }); }
    catch (e) { out.push({ ok: false, error: String(e && e.message), ...timing() }); }
  }
  const stats = { loadMs, maxRssMb: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write('\\n' + MARK + JSON.stringify({ out, stats }) + '\\n');
})();
`;

export interface InvocationResult {
  readonly ok: boolean;
  readonly result?: Record<string, unknown>;
  readonly error?: string;
  /** Wall time of the handler call, measured inside the process. */
  readonly ms: number;
  /** CPU time (user + system) the process spent during the call: the monitor's own work. */
  readonly cpuMs: number;
}

export interface BundleRun {
  readonly results: InvocationResult[];
  /** Every JSON line the function wrote to stdout: its logs and its EMF metrics. */
  readonly logs: Array<Record<string, unknown>>;
  /** Time to `require` the bundle, and the process's peak resident memory. */
  readonly stats: { readonly loadMs: number; readonly maxRssMb: number };
}

/** Invokes the bundle's handler once per event, in order, in one fresh Node process. */
export async function invokeBundle(
  bundle: string,
  events: readonly unknown[],
  env: Record<string, string>,
): Promise<BundleRun> {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-e', RUNNER, bundle, JSON.stringify(events)],
    {
      env: {
        PATH: process.env.PATH ?? '',
        AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
        AWS_SECRET_ACCESS_KEY: 'local-test-secret',
        AWS_EC2_METADATA_DISABLED: 'true',
        ...env,
      },
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  const lines = stdout.split('\n');
  const marked = lines.find((l) => l.startsWith('@@invocations@@'));
  if (!marked) throw new Error(`the bundle printed no result:\n${stdout.slice(-2000)}`);
  const logs = lines.filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
  const { out, stats } = JSON.parse(marked.slice('@@invocations@@'.length)) as {
    out: InvocationResult[];
    stats: BundleRun['stats'];
  };
  return { results: out, logs, stats };
}
