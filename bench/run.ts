/**
 * `npm run bench`: size and load time against a floor, cold start, and runs over 10 to 50,000 tokens (and how they fit the function's limits) of the Lambda bundle that
 * `cdk synth` produces, against a local endpoint speaking the AWS wire protocols. Prints a table
 * and writes docs/benchmarks.md. Needs no AWS credentials and no network.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { type BuildOptions, build } from 'esbuild';
import { BUNDLE_OPTIONS, entryOf } from '../tools/build-assets';
import { assemblyBundle, functionBundle, invokeBundle, synthesizeAssembly } from '../tools/bundle';
import { FAKE_LEDGER_TABLE, FakeAws } from '../tools/fake-aws';
import { functionLimits, limitLines, ms, type Row } from './limits';

const ROOT = path.join(__dirname, '..');
const PREFIX = '/scim-token-monitor/tokens/';
const NOW = '2026-11-23T08:00:00Z';
const COLD_STARTS = 9;
const SIZES = [10, 100, 1_000, 10_000];
/** The largest registry: a quiet run only (what the daily run is on almost every day). */
const LARGEST = 50_000;
/** Interleaved pairs of fresh processes for the load-time ratio. */
const LOAD_PAIRS = 15;
/** The old-generation cap for the flat-memory check (`--max-old-space-size`). */
const HEAP_CAP_MB = 64;

/**
 * The floor: the six SDK clients the monitor calls, alone, bundled from their ES-module entry
 * points with the commands it sends (as #14 defines it); and the same with the Lambda-only
 * credential provider, so the ratio also shows what our own code and Powertools add.
 */
const FLOOR_SOURCE = `
import { SSMClient, GetParametersByPathCommand, GetParameterCommand } from '@aws-sdk/client-ssm';
import { DynamoDBClient, BatchGetItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { SNSClient, PublishBatchCommand } from '@aws-sdk/client-sns';
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { SSOAdminClient, ListInstancesCommand } from '@aws-sdk/client-sso-admin';
import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
export const clients = [new SSMClient({}), new DynamoDBClient({}), new SNSClient({}), new EventBridgeClient({}), new SSOAdminClient({}), new CloudTrailClient({})];
export const commands = [GetParametersByPathCommand, GetParameterCommand, BatchGetItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand, PublishBatchCommand, PutEventsCommand, ListInstancesCommand, LookupEventsCommand];
`;

/** esbuild options as the package build bundles the functions (tools/build-assets.ts). */
const AS_BUILT: BuildOptions = { ...BUNDLE_OPTIONS, logLevel: 'silent' };

/** The floor bundle, written to a file; `trimmed` with the Lambda-only credential provider. */
async function floorBundle(trimmed: boolean): Promise<string> {
  const out = path.join(mkdtempSync(path.join(os.tmpdir(), 'scim-floor-')), 'index.js');
  await build({
    stdin: { contents: FLOOR_SOURCE, resolveDir: ROOT, loader: 'ts' },
    ...AS_BUILT,
    ...(trimmed ? {} : { alias: {} }),
    outfile: out,
    logLevel: 'silent',
  });
  return out;
}

/** Milliseconds to `require` a file in a fresh Node.js process. */
function requireMs(file: string): number {
  const code = `const t=process.hrtime.bigint();require(${JSON.stringify(file)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  return Number(
    execFileSync(process.execPath, ['-e', code], {
      env: { PATH: process.env.PATH ?? '', AWS_REGION: 'eu-west-1' },
    }),
  );
}
const APIS = [
  'ssm:GetParametersByPath',
  'dynamodb:BatchGetItem',
  'dynamodb:UpdateItem',
  'dynamodb:PutItem',
  'sns:PublishBatch',
  'events:PutEvents',
  'sso:ListInstances',
  'sns:GetTopicAttributes',
  'cloudtrail:LookupEvents',
] as const;

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2
    ? (s[(s.length - 1) / 2] as number)
    : ((s[s.length / 2 - 1] as number) + (s[s.length / 2] as number)) / 2;
};
const kb = (bytes: number) => `${(bytes / 1024).toFixed(1)} KB`;

function event() {
  return { id: 'bench', 'detail-type': 'Scheduled Event', source: 'aws.events', time: NOW, detail: {} };
}

/** The bundle's contents by package, from an esbuild build with the package build's options. */
async function composition(): Promise<{ bytes: number; packages: Array<[string, number]> }> {
  const result = await build({
    entryPoints: [entryOf('monitor')],
    ...AS_BUILT,
    write: false,
    metafile: true,
    outfile: 'index.js',
    logLevel: 'silent',
  });
  const byPackage = new Map<string, number>();
  const output = Object.values(result.metafile.outputs)[0];
  for (const [file, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(file);
    const name = m ? (m[1] as string) : 'scim-token-monitor (own code)';
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return {
    bytes: result.outputFiles?.[0]?.contents.byteLength ?? 0,
    packages: [...byPackage.entries()].sort((a, b) => b[1] - a[1]),
  };
}

function register(aws: FakeAws, n: number, dueShare: number): number {
  aws.parameters.clear();
  aws.resetRecords();
  const due = Math.round(n * dueShare);
  for (let i = 0; i < n; i++) {
    // Due: created 2026-01-22, so it expires 2027-01-22, 60 days after the run. Not due: 190 days.
    const createdAt = i < due ? '2026-01-22' : '2026-06-01';
    aws.put(
      `${PREFIX}team-${i % 50}/token-${i}`,
      JSON.stringify({ createdAt, identityProvider: 'okta' }),
      'String',
      new Date('2026-06-01T00:00:00Z'),
    );
  }
  return due;
}

function minimumCalls(n: number, due: number): Record<(typeof APIS)[number], number> {
  return {
    // SSM returns at most 10 parameters a page.
    'ssm:GetParametersByPath': Math.ceil(n / 10),
    // The adopted tokens' record; then the state of each token that could alert, and the
    // monitor's (100 keys a call); the provisioning record.
    'dynamodb:BatchGetItem': 2 + Math.ceil((due + 1) / 100),
    // Exactly once: each alert is claimed and confirmed on each of its two channels.
    'dynamodb:UpdateItem': 4 * due,
    // Each alert's state write, and (every bench run starts from an empty ledger, as a first
    // scheduled run does) the records that a scheduled run happened, of the subscriber count and
    // of provisioning observed.
    'dynamodb:PutItem': due + 3,
    // SNS and EventBridge take 10 entries a call.
    'sns:PublishBatch': Math.ceil(due / 10),
    'events:PutEvents': Math.ceil(due / 10),
    // The instances, once (instance checks and alert details), and the topic's subscriber count.
    'sso:ListInstances': 1,
    'sns:GetTopicAttributes': 1,
    // Provisioning observed, as deployed by default: one page of SCIM calls (none here).
    'cloudtrail:LookupEvents': 1,
  };
}

async function main(): Promise<void> {
  const started = new Date();
  process.stdout.write('Synthesizing the stack...\n');
  const synthStarted = performance.now();
  const assembly = synthesizeAssembly();
  // Synthesis of the whole app in this process; the functions are prebuilt (npm run build).
  const synthMs = performance.now() - synthStarted;
  // The monitor's bundle as the cloud assembly holds it (byte for byte the prebuilt one).
  const bundle = assemblyBundle(assembly, /^MonitorFunction[0-9A-F]{8}$/);
  if (readFileSync(bundle, 'utf8') !== readFileSync(functionBundle('monitor'), 'utf8')) {
    throw new Error('the cloud assembly holds another monitor bundle than npm run build made: rebuild');
  }
  const bundleBytes = statSync(bundle).size;
  const limits = functionLimits(assembly);
  const { bytes: rebuiltBytes, packages } = await composition();
  const clients = packages.filter(([p]) => p.startsWith('@aws-sdk/client-')).map(([p]) => p);

  process.stdout.write(`Floor bundles and load time, ${LOAD_PAIRS} interleaved pairs...\n`);
  const floor = await floorBundle(false);
  const trimmedFloor = await floorBundle(true);
  const floorBytes = statSync(floor).size;
  const trimmedFloorBytes = statSync(trimmedFloor).size;
  const ours: number[] = [];
  const floors: number[] = [];
  const trimmedFloors: number[] = [];
  for (let i = 0; i < LOAD_PAIRS; i++) {
    ours.push(requireMs(bundle));
    floors.push(requireMs(floor));
    trimmedFloors.push(requireMs(trimmedFloor));
  }

  const aws = new FakeAws();
  const endpoint = await aws.start();
  const env = {
    ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:scim-token-alerts',
    PARAMETER_PREFIX: PREFIX,
    LEDGER_TABLE_NAME: FAKE_LEDGER_TABLE,
    THRESHOLDS_DAYS: '60,30,7',
    VALIDITY_DAYS: '365',
    EVENT_BUS_ARN: 'default',
    ACCOUNT_ID: '123456789012',
    AWS_REGION: 'eu-west-1',
    AWS_LAMBDA_FUNCTION_NAME: 'bench',
    AWS_ENDPOINT_URL: endpoint,
    // Every alert on its own (no digest): the most calls a run can make.
    DIGEST_AFTER: '1000000',
    // As the construct deploys it.
    OBSERVE_PROVISIONING: 'true',
  };
  aws.instances = [
    { InstanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', IdentityStoreId: 'd-1234567890' },
  ];
  // The alert topic, with on-call subscribed: each scheduled run counts its subscriptions.
  aws.ops.subscriptions.set(env.ALERT_TOPIC_ARN, [
    { protocol: 'email', endpoint: 'oncall@example.com', confirmed: true },
  ]);

  process.stdout.write(`Cold starts (${COLD_STARTS} fresh processes)...\n`);
  const loads: number[] = [];
  const processes: number[] = [];
  const firstRuns: number[] = [];
  for (let i = 0; i < COLD_STARTS; i++) {
    register(aws, 10, 0);
    const t = performance.now();
    await invokeBundle(bundle, [], env);
    processes.push(performance.now() - t);
    const run = await invokeBundle(bundle, [event()], env);
    loads.push(run.stats.loadMs);
    firstRuns.push(run.results[0]?.ms ?? Number.NaN);
  }

  const rows: Row[] = [];
  for (const n of SIZES) {
    for (const [scenario, share] of [
      ['nothing due', 0],
      ['10% due', 0.1],
    ] as const) {
      process.stdout.write(`Run over ${n} tokens, ${scenario}...\n`);
      const due = register(aws, n, share);
      await aws.dynamodb.reset();
      const run = await invokeBundle(bundle, [event()], env);
      const result = run.results[0];
      if (!result?.ok) throw new Error(`run failed: ${result?.error}`);
      const calls = Object.fromEntries(APIS.map((a) => [a, aws.count(a)]));
      rows.push({
        n,
        scenario,
        wallMs: result.ms,
        cpuMs: result.cpuMs,
        rssMb: run.stats.maxRssMb,
        calls,
        min: minimumCalls(n, due),
        alerts: Number(result.result?.alertsSent),
      });
    }
  }
  {
    process.stdout.write(`Run over ${LARGEST} tokens, nothing due...\n`);
    register(aws, LARGEST, 0);
    await aws.dynamodb.reset();
    const run = await invokeBundle(bundle, [event()], env);
    const result = run.results[0];
    if (!result?.ok) throw new Error(`run failed: ${result?.error}`);
    rows.push({
      n: LARGEST,
      scenario: 'nothing due',
      wallMs: result.ms,
      cpuMs: result.cpuMs,
      rssMb: run.stats.maxRssMb,
      calls: Object.fromEntries(APIS.map((a) => [a, aws.count(a)])),
      min: minimumCalls(LARGEST, 0),
      alerts: Number(result.result?.alertsSent),
    });
  }
  // The same run with V8's old generation capped: it completes only if what the run keeps alive
  // does not grow with the registry (a run holding every token needed more than 64 MB at 50,000).
  process.stdout.write(`Run over ${LARGEST} tokens, heap capped at ${HEAP_CAP_MB} MB...\n`);
  await aws.dynamodb.reset();
  const capped = await invokeBundle(bundle, [event()], {
    ...env,
    NODE_OPTIONS: `--max-old-space-size=${HEAP_CAP_MB}`,
  }).then(
    (run) => ({
      ok: run.results[0]?.ok === true,
      ms: run.results[0]?.ms ?? Number.NaN,
      rssMb: run.stats.maxRssMb,
    }),
    () => ({ ok: false, ms: Number.NaN, rssMb: Number.NaN }),
  );
  await aws.stop();

  const total = (r: Record<string, number>) => Object.values(r).reduce((a, b) => a + b, 0);
  const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
  const lines: string[] = [
    '# Benchmarks',
    '',
    `Measured by \`npm run bench\` (bench/run.ts) on ${started.toISOString().slice(0, 10)}: ${os.cpus().length} cores (${cpu}), ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.arch()}, Node.js ${process.version}.`,
    '',
    'Method: the bundle is the one `cdk synth` puts in the cloud assembly. Each measurement runs it in a',
    'fresh Node.js process (a cold container), against a local endpoint in the benchmark process that',
    'speaks the SSM, SNS, EventBridge, SSO Admin, DynamoDB and CloudTrail wire protocols on 127.0.0.1 (tools/fake-aws.ts) and',
    "counts every call. Times are measured inside the process; memory is the process's own peak resident",
    "set (`VmHWM`, Node.js itself included; not getrusage's maxRSS, which Linux carries over from the",
    'parent at fork). The run logs one line per token and emits the fixed metrics (per-token metrics are',
    'off by default); every alert is sent on its own (`DIGEST_AFTER` set out of reach), the most calls a run makes.',
    'Lambda runs arm64 with 256 MB and a share of a vCPU, so expect it slower than this machine.',
    '',
    '## Bundle',
    '',
    `| bundle | size (minified) |`,
    '|---|---|',
    `| synthesized \`index.js\` | ${bundleBytes.toLocaleString('en')} bytes (${kb(bundleBytes)}) |`,
    `| same build with esbuild's metafile | ${rebuiltBytes.toLocaleString('en')} bytes (${rebuiltBytes === bundleBytes ? 'identical' : 'differs'}) |`,
    '',
    `SDK clients inside: ${clients.map((c) => `\`${c}\``).join(', ')}.`,
    '',
    '| package | bytes in the bundle |',
    '|---|---|',
    ...packages.slice(0, 15).map(([p, b]) => `| ${p} | ${b.toLocaleString('en')} |`),
    '',
    `Synthesizing the app (\`cdk synth\`'s work in-process: the stack, with the three functions' prebuilt bundles as assets) took ${ms(synthMs)}.`,
    '',
    '## Against the floor',
    '',
    `The floor: the six SDK clients the monitor calls, alone, bundled from their ES-module entry points with the commands it sends (bench/run.ts \`FLOOR_SOURCE\`); "trimmed" adds the Lambda-only credential provider the monitor's bundle uses. Load time: \`require\` in a fresh Node.js process, ${LOAD_PAIRS} interleaved triples (ours, floor, trimmed floor), medians.`,
    '',
    '| | bytes | ratio | load (median) | ratio |',
    '|---|---|---|---|---|',
    `| the monitor's bundle | ${bundleBytes.toLocaleString('en')} | | ${ms(median(ours))} | |`,
    `| floor: the SDK clients alone | ${floorBytes.toLocaleString('en')} | ${(bundleBytes / floorBytes).toFixed(2)}x | ${ms(median(floors))} | ${(median(ours) / median(floors)).toFixed(2)}x |`,
    `| trimmed floor | ${trimmedFloorBytes.toLocaleString('en')} | ${(bundleBytes / trimmedFloorBytes).toFixed(2)}x | ${ms(median(trimmedFloors))} | ${(median(ours) / median(trimmedFloors)).toFixed(2)}x |`,
    '',
    '## Cold start',
    '',
    `| measure | median of ${COLD_STARTS} | min | max |`,
    '|---|---|---|---|',
    `| load the bundle (\`require\`) | ${ms(median(loads))} | ${ms(Math.min(...loads))} | ${ms(Math.max(...loads))} |`,
    `| start a Node.js process and load the bundle | ${ms(median(processes))} | ${ms(Math.min(...processes))} | ${ms(Math.max(...processes))} |`,
    `| first handler run, 10 tokens, nothing due | ${ms(median(firstRuns))} | ${ms(Math.min(...firstRuns))} | ${ms(Math.max(...firstRuns))} |`,
    '',
    '## Runs',
    '',
    `| tokens | scenario | alerts | wall time | CPU time | peak RSS | ${APIS.join(' | ')} | calls / minimum |`,
    `|---|---|---|---|---|---|${APIS.map(() => '---|').join('')}---|`,
    ...rows.map(
      (r) =>
        `| ${r.n.toLocaleString('en')} | ${r.scenario} | ${r.alerts} | ${ms(r.wallMs)} | ${ms(r.cpuMs)} | ${r.rssMb.toFixed(0)} MB | ${APIS.map((a) => `${r.calls[a]} (${r.min[a]})`).join(' | ')} | ${total(r.calls)} / ${total(r.min)} = ${(total(r.calls) / Math.max(1, total(r.min))).toFixed(3)} |`,
    ),
    '',
    ...limitLines(rows, limits),
    capped.ok
      ? `With V8's heap capped at ${HEAP_CAP_MB} MB (\`--max-old-space-size=${HEAP_CAP_MB}\`), the run over ${LARGEST.toLocaleString('en')} tokens still completes (${ms(capped.ms)}, peak RSS ${capped.rssMb.toFixed(0)} MB): what it keeps alive does not grow with the registry. Holding every token, as runs did before, it ran out of memory under that cap.`
      : `With V8's heap capped at ${HEAP_CAP_MB} MB, the run over ${LARGEST.toLocaleString('en')} tokens did not complete: what it keeps alive grows with the registry.`,
    '',
    'Each call column shows measured (minimum). The minimum: one `GetParametersByPath` page per 10',
    "tokens; the adopted tokens' record, the provisioning record and the state of each token that",
    'could alert, read in `BatchGetItem` calls of 100 keys; for each alert a claim and a confirmation',
    'on each of its two channels (`UpdateItem`) and its state write (`PutItem`), plus the three records',
    'a first scheduled run writes (every run here starts from an empty ledger); `PublishBatch` and',
    "`PutEvents` batches of 10; one `ListInstances`; one `GetTopicAttributes` (the topic's confirmed",
    'subscriptions); one `LookupEvents` page (provisioning observed; no SCIM call recorded here).',
    '',
  ];
  const doc = `${lines.join('\n')}\n`;
  writeFileSync(path.join(ROOT, 'docs', 'benchmarks.md'), doc);
  process.stdout.write(`\n${doc}`);
}

main().catch((error: Error) => {
  process.stderr.write(`bench failed: ${error.stack ?? error.message}\n`);
  process.exit(1);
});
