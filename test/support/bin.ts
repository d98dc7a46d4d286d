/**
 * The CLI exactly as it ships: the compiled `dist/cli/main.js` that package.json's `bin` names,
 * run in a child process with a clean environment (no AWS configuration from the machine, no
 * test-only variables), so that what a user sees is what the tests see.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';

export const ROOT = path.join(__dirname, '..', '..');
/** The built entry point (jest's global setup builds it with `npm run build`). */
export const BIN = path.join(ROOT, 'dist', 'cli', 'main.js');

export interface BinResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** A HOME with no ~/.aws: the machine's own profiles never leak into a test. */
export function emptyHome(): string {
  return mkdtempSync(path.join(tmpdir(), 'scim-cli-home-'));
}

/** Local credentials and region for the stand-in, as a user's environment would provide them. */
export function awsEnv(endpoint: string): Record<string, string> {
  return {
    AWS_ACCESS_KEY_ID: 'AKIDLOCALTEST',
    AWS_SECRET_ACCESS_KEY: 'local-test-secret',
    AWS_REGION: 'eu-west-1',
    AWS_ENDPOINT_URL: endpoint,
  };
}

/**
 * Runs `command args…` (by default the built bin under node) with only PATH, a fresh HOME, no
 * EC2 metadata lookups, and `env`; writes `input` to its standard input.
 */
export function runCommand(
  command: string,
  args: readonly string[],
  opts: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<BinResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: opts.cwd ?? ROOT,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: emptyHome(),
        AWS_EC2_METADATA_DISABLED: 'true',
        ...opts.env,
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c) => {
      stdout += String(c);
    });
    child.stderr.on('data', (c) => {
      stderr += String(c);
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(opts.input ?? '');
  });
}

/** The shipped CLI with `args`. */
export function bin(
  args: readonly string[],
  opts: { env?: Record<string, string>; input?: string; cwd?: string } = {},
): Promise<BinResult> {
  return runCommand(process.execPath, [BIN, ...args], opts);
}
