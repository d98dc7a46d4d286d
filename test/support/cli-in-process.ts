/**
 * The CLI in-process, through `main()`, with mocked SDK clients: fast tests of each command's
 * logic. (The shipped bin is tested in child processes: see bin.ts.) Call `useMockedAws()` at the
 * top of the test file.
 */
import { copyFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { SNSClient } from '@aws-sdk/client-sns';
import { GetParametersByPathCommand, SSMClient } from '@aws-sdk/client-ssm';
import { SSOAdminClient } from '@aws-sdk/client-sso-admin';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-jest';
import { main } from '../../cli/main';

export const ssm = mockClient(SSMClient);
export const sns = mockClient(SNSClient);
export const sso = mockClient(SSOAdminClient);
export const example = path.join(__dirname, '..', '..', 'examples', 'registry.json');

/** What the person at the keyboard would paste when asked for a token. */
let pasted = '';
export function paste(token: string): void {
  pasted = token;
}

/** Runs the CLI in-process and captures what it prints. */
export async function cli(...argv: string[]) {
  let stdout = '';
  let stderr = '';
  const out = jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    stdout += String(chunk);
    return true;
  });
  const err = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await main(argv, { readSecret: async () => pasted });
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
}

/** A copy of the example registry to write to. */
export function scratchRegistry(): string {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'scim-cli-')), 'registry.json');
  copyFileSync(example, file);
  return file;
}

export function useMockedAws(): void {
  beforeEach(() => {
    ssm.reset();
    // No monitor deployed unless a test says so (the CLI looks its settings up first).
    ssm.on(GetParametersByPathCommand).resolves({ Parameters: [] });
    sns.reset();
    sso.reset();
    process.env.AWS_REGION = 'eu-west-1';
  });
}
