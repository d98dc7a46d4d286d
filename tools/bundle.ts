/**
 * The Lambda bundles exactly as the package ships them, and a way to run one in a fresh Node
 * process (a cold container) against a local endpoint.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { App } from 'aws-cdk-lib';
import { readStackConfig } from '../app/config';
import { ScimTokenMonitorStack } from '../app/monitor-stack';
import { assetDirectory, type FunctionName } from '../lib/assets';

/** Synthesizes the app into a temporary cloud assembly and returns its directory. */
export function synthesizeAssembly(context: Record<string, unknown> = {}): string {
  const outdir = mkdtempSync(path.join(tmpdir(), 'scim-monitor-cdk-'));
  const app = new App({ outdir, context });
  new ScimTokenMonitorStack(app, 'ScimTokenMonitor', { config: readStackConfig(app.node) });
  app.synth();
  return outdir;
}

/**
 * A function's prebuilt bundle, as `npm run build` made it (tools/build-assets.ts): the file the
 * construct deploys (test/lib/assets.test.ts checks the cloud assembly holds it byte for byte).
 */
export function functionBundle(name: FunctionName = 'monitor'): string {
  return path.join(assetDirectory(name), 'index.js');
}

/** The bundle of the function whose logical ID matches `fn`, in a synthesized cloud assembly. */
export function assemblyBundle(outdir: string, fn: RegExp, stack = 'ScimTokenMonitor'): string {
  const template = JSON.parse(readFileSync(path.join(outdir, `${stack}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: { Code?: { S3Key?: string } } }>;
  };
  const found = Object.entries(template.Resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && fn.test(id),
  )?.[1];
  const hash = String(found?.Properties.Code?.S3Key).replace(/\.zip$/, '');
  const bundle = path.join(outdir, `asset.${hash}`, 'index.js');
  if (!existsSync(bundle)) throw new Error(`no bundle at ${bundle}`);
  return bundle;
}

// Times the bundle's load (require) and each invocation from inside the fresh process, and
// reports its peak resident memory, after the function's own output. Each invocation runs with
// Lambda's context (a request ID, the time left) and at its own wall-clock instant: a scheduled
// event arrives at its \`time\`, anything else when the test says (see \`Invoke\`), so the bundle
// is tested at any date without a seam of its own.
const RUNNER = `
const [bundle, itemsFile, parallel] = process.argv.slice(1);
const MARK = '@@invocations@@';
const RealDate = Date;
let offset = 0;
class ClockDate extends RealDate {
  constructor(...a) { if (a.length === 0) super(RealDate.now() + offset); else super(...a); }
  static now() { return RealDate.now() + offset; }
}
globalThis.Date = ClockDate;
const t0 = process.hrtime.bigint();
const { handler } = require(bundle);
const loadMs = Number(process.hrtime.bigint() - t0) / 1e6;
let n = 0;
async function invoke(item) {
  const event = item.event;
  const clock = item.clock ?? (event && event.time) ?? new RealDate().toISOString();
  offset = new RealDate(clock).getTime() + 2000 - RealDate.now();
  const context = { awsRequestId: item.requestId ?? 'req-' + process.pid + '-' + (n++), getRemainingTimeInMillis: () => item.remainingMs ?? 300000 };
  const t = process.hrtime.bigint();
  const c = process.cpuUsage();
  const timing = () => { const u = process.cpuUsage(c); return { ms: Number(process.hrtime.bigint() - t) / 1e6, cpuMs: (u.user + u.system) / 1e3 }; };
  try { const result = await handler(event, context); return { ok: true, result, ...timing() }; }
  catch (e) { return { ok: false, error: String(e && e.message), ...timing() }; }
}
(async () => {
  const items = JSON.parse(require('node:fs').readFileSync(itemsFile, 'utf8'));
  const out = [];
  if (parallel === 'true') out.push(...(await Promise.all(items.map(invoke))));
  else for (const item of items) out.push(await invoke(item));
  // The peak of this process's own memory: Linux keeps getrusage's maxRSS across exec, so it would
  // report the parent's size at fork (the test runner's, the bench's); VmHWM is this image's alone.
  let hwmKb = process.resourceUsage().maxRSS;
  try { hwmKb = Number(/VmHWM:\\s+(\\d+)/.exec(require('node:fs').readFileSync('/proc/self/status', 'utf8'))[1]); } catch {}
  const stats = { loadMs, maxRssMb: hwmKb / 1024 };
  process.stdout.write('\\n' + MARK + JSON.stringify({ out, stats }) + '\\n');
})();
`;

/**
 * One invocation: an event, or an event with the wall-clock instant it arrives at and the Lambda
 * request ID (Lambda keeps it across its own retries of one invocation).
 */
export type Invoke =
  | unknown
  | {
      readonly event: unknown;
      readonly clock?: string;
      readonly requestId?: string;
      /** What Lambda says is left of the invocation (default: five minutes). */
      readonly remainingMs?: number;
    };

function item(invoke: Invoke): { event: unknown; clock?: string; requestId?: string; remainingMs?: number } {
  return typeof invoke === 'object' && invoke !== null && 'event' in invoke
    ? (invoke as { event: unknown })
    : { event: invoke };
}

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

/**
 * Invokes the bundle's handler once per event, in one fresh Node process: in order, or all at once
 * (`parallel`), as overlapping invocations in one container would.
 */
export async function invokeBundle(
  bundle: string,
  events: readonly Invoke[],
  env: Record<string, string>,
  parallel = false,
): Promise<BundleRun> {
  // The invocations go in a file: a long timeline does not fit in an argument.
  const itemsFile = path.join(mkdtempSync(path.join(tmpdir(), 'scim-invoke-')), 'items.json');
  writeFileSync(itemsFile, JSON.stringify(events.map(item)));
  const { stdout } = await promisify(execFile)(
    process.execPath,
    ['-e', RUNNER, bundle, itemsFile, String(parallel)],
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
