/**
 * The README's CLI examples, run line by line exactly as written (`npx scim-token-monitor …` in
 * the repository, which runs the package's own compiled bin), offline and against the local AWS
 * stand-in with a local SCIM endpoint.
 */
import { FakeAws } from '../../tools/fake-aws';
import { awsEnv, emptyHome, runCommand } from '../support/bin';
import { deploy } from '../support/deployment';
import { testedBlock } from '../support/readme';
import { type ScimStub, startScimStub } from '../support/scim-stub';

const NEW_TOKEN = 'new-token-0123456789';
let aws: FakeAws;
let scim: ScimStub;
let env: Record<string, string>;

beforeAll(async () => {
  aws = new FakeAws();
  scim = await startScimStub(NEW_TOKEN);
  env = {
    ...awsEnv(await aws.start()),
    NEW_TOKEN,
    SCIM_ENDPOINT: scim.endpoint,
    ...scim.env,
  };
});
afterAll(async () => {
  await aws.stop();
  await scim.close();
});

/**
 * The user's HOME, where npm keeps its cache (npx takes seconds without it), but no AWS
 * configuration from this machine.
 */
const home = emptyHome();
const userEnv = {
  HOME: process.env.HOME ?? home,
  AWS_CONFIG_FILE: `${home}/config`,
  AWS_SHARED_CREDENTIALS_FILE: `${home}/credentials`,
  npm_config_update_notifier: 'false',
};

async function sh(line: string, extra: Record<string, string> = {}) {
  const r = await runCommand('bash', ['-c', line], { env: { ...userEnv, ...extra } });
  // npm's own notices (this machine's npmrc) are npm's, not the CLI's.
  return { line, code: r.code, stdout: r.stdout, stderr: r.stderr.replace(/^npm (warn|notice)\b.*\n/gm, '') };
}

/** The exit code a line's own comment announces (`# exits 1: …`), else 0. */
const expectedCode = (line: string) => Number(/#\s*exits? (\d)/.exec(line)?.[1] ?? 0);

it('the offline examples run as written', async () => {
  const lines = testedBlock('cli-offline');
  expect(lines.length).toBeGreaterThanOrEqual(2);
  for (const line of lines) {
    const r = await sh(line);
    expect({ line, code: r.code }).toEqual({ line, code: expectedCode(line) });
    if (expectedCode(line) === 0) expect(r.stderr).toBe('');
    expect(r.stdout).toContain('okta-prod');
  }
});

it('the session against AWS runs as written, and leaves what it says in SSM and SNS', async () => {
  // The deployed monitor, as the CLI finds it (the settings the construct publishes in SSM).
  deploy(aws);
  const lines = testedBlock('cli-session');
  expect(lines.map((l) => /scim-token-monitor (\S+)/.exec(l)?.[1])).toEqual(
    expect.arrayContaining(['register', 'status', 'check', 'test-alert', 'remove']),
  );
  const registered: string[] = [];
  for (const line of lines) {
    const r = await sh(line, env);
    expect({ line, code: r.code }).toEqual({ line, code: expectedCode(line) });
    if (expectedCode(line) === 0) expect(r.stderr).toBe('');
    const value = aws.parameters.get('/scim-token-monitor/tokens/okta-prod')?.value;
    if (value) registered.push(value);
  }
  expect(registered[0]).toBe(
    '{"createdAt":"2026-01-15","tokenId":"3f9a1c2d","identityProvider":"okta","owner":"platform-team@example.com"}',
  );
  expect(registered.at(-1)).toContain('"createdAt":"2026-11-23"');
  expect(scim.seen).toEqual(['GET /tenant-123/scim/v2/ServiceProviderConfig']);
  expect(aws.published.map((p) => p.subject)).toEqual([
    '[TEST] 123456789012: SCIM token monitor: test alert, no action needed',
  ]);
  expect(aws.parameters.has('/scim-token-monitor/tokens/okta-prod')).toBe(false);
});
