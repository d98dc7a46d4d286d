/**
 * The shipped CLI: the compiled bin in a child process, against the local AWS stand-in (SSM, SNS,
 * SSO Admin over their wire protocols) and a local SCIM endpoint. Every command,
 * its exit code, its output, and what reached SSM and SNS.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { BIN, bin, ROOT } from '../support/bin';
import { deploy } from '../support/deployment';
import { aws, env, GOOD_TOKEN, scim, useStandIns } from '../support/stand-ins';

const PREFIX = '/scim-token-monitor/tokens/';
const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:ScimTokenMonitor-AlertTopic';
const GOOD = GOOD_TOKEN;
const example = path.join(ROOT, 'examples', 'registry.json');

useStandIns();

/** No SDK notice, stack trace or anything else but the answer. */
function expectCleanStderr(stderr: string) {
  expect(stderr).not.toMatch(/NodeVersionSupportWarning|Warning:|\n\s+at /);
}

describe('the package declares the bin it ships', () => {
  it('bin points at the compiled entry, which starts with a node shebang and needs no dev dependency', () => {
    const pkg = require('../../package.json') as {
      bin: Record<string, string>;
      dependencies: Record<string, string>;
    };
    expect(pkg.bin).toEqual({ 'scim-token-monitor': 'dist/cli/main.js' });
    expect(path.join(ROOT, pkg.bin['scim-token-monitor'] ?? '')).toBe(BIN);
    const source = execFileSync('head', ['-1', BIN], { encoding: 'utf8' });
    expect(source).toBe('#!/usr/bin/env node\n');
    expect(pkg.dependencies).not.toHaveProperty('tsx');
  });

  it('--version and --help answer with exit 0', async () => {
    const version = await bin(['--version']);
    expect(version).toMatchObject({ code: 0, stdout: `${require('../../package.json').version}\n` });
    for (const command of ['register', 'status', 'check', 'test-alert', 'remove']) {
      const help = await bin([command, '--help']);
      expect(help.code).toBe(0);
      expect(help.stdout).toContain(`Usage: scim-token-monitor ${command}`);
    }
  });
});

describe('against AWS (the local stand-in)', () => {
  it('register writes the registration to SSM, refuses to replace it, and replaces it with --overwrite', async () => {
    const first = await bin(
      [
        'register',
        'okta-prod',
        '--created-at',
        '2026-01-15',
        '--token-id',
        'tok-1',
        '--identity-provider',
        'okta',
        '--owner',
        'platform@example.com',
      ],
      { env },
    );
    expect(first.code).toBe(0);
    expectCleanStderr(first.stderr);
    expect(first.stdout).toContain(`Registered okta-prod in SSM ${PREFIX}:`);
    expect(aws.parameters.get(`${PREFIX}okta-prod`)).toMatchObject({
      type: 'String',
      value:
        '{"createdAt":"2026-01-15","tokenId":"tok-1","identityProvider":"okta","owner":"platform@example.com"}',
      version: 1,
    });

    const again = await bin(['register', 'okta-prod', '--created-at', '2026-02-01'], { env });
    expect(again).toMatchObject({
      code: 1,
      stderr: `scim-token-monitor: Token okta-prod is already registered (${PREFIX}okta-prod); pass --overwrite to replace it.\n`,
    });
    expect(aws.parameters.get(`${PREFIX}okta-prod`)?.version).toBe(1);

    // A rotation keeps the owner and the identity provider, takes the new token's date and ID.
    const over = await bin(
      ['register', 'okta-prod', '--created-at', 'today', '--token-id', 'tok-2', '--overwrite'],
      { env },
    );
    expect(over.code).toBe(0);
    const today = new Date().toISOString().slice(0, 10);
    expect(aws.parameters.get(`${PREFIX}okta-prod`)).toMatchObject({
      version: 2,
      value: `{"createdAt":"${today}","tokenId":"tok-2","identityProvider":"okta","owner":"platform@example.com"}`,
    });
    const moved = await bin(
      ['register', 'okta-prod', '--created-at', today, '--owner', 'idp-team@example.com', '--overwrite'],
      { env },
    );
    expect(moved.code).toBe(0);
    expect(JSON.parse(aws.parameters.get(`${PREFIX}okta-prod`)?.value ?? '{}')).toEqual({
      createdAt: today,
      identityProvider: 'okta',
      owner: 'idp-team@example.com',
    });
  });

  it('register refuses invalid input with exit 2 and writes nothing', async () => {
    const r = await bin(['register', 'okta-prod', '--created-at', '2026-02-30'], { env });
    expect(r).toMatchObject({
      code: 2,
      stderr: 'scim-token-monitor: Not registered: createdAt "2026-02-30" is not a real calendar date.\n',
    });
    expect(aws.count('ssm:PutParameter')).toBe(0);
  });

  it('status reads the registry and the alert state, as a table and as JSON', async () => {
    aws.put(`${PREFIX}okta-prod`, '{"createdAt":"2026-01-15","identityProvider":"okta"}');
    aws.put(`${PREFIX}entra/corp`, '{"createdAt":"2026-06-01","identityProvider":"entra-id"}');
    // The deployed stack names its ledger; the CLI reads the alert state there.
    deploy(aws);
    await aws.dynamodb.putState(
      'token/okta-prod',
      JSON.stringify({
        expiresAt: '2027-01-15T00:00:00.000Z',
        alertedThresholds: [60],
        expiredAlerted: false,
      }),
    );
    const table = await bin(['status', '--at', '2026-12-01'], { env });
    expect(table.code).toBe(0);
    expectCleanStderr(table.stderr);
    expect(table.stdout).toContain(`2 token(s) in SSM ${PREFIX}, as of 2026-12-01T00:00:00.000Z:`);
    // What on-call needs, within 100 columns; --wide adds the registration's details.
    expect(table.stdout).toMatch(/^NAME\s+EXPIRES\s+DAYS LEFT\s+LAST ALERT\s+NEXT ALERT$/m);
    expect(table.stdout).toMatch(/okta-prod\s+2027-01-15\s+45\s+60-day\s+30-day 2026-12-16/);
    expect(Math.max(...table.stdout.split('\n').map((l) => l.length))).toBeLessThanOrEqual(100);
    const wide = await bin(['status', '--at', '2026-12-01', '--wide'], { env });
    expect(wide.stdout).toMatch(
      /okta-prod\s+Okta\s+-\s+2026-01-15\s+2027-01-15\s+45\s+60-day\s+30-day 2026-12-16/,
    );
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no colour when stdout is a pipe.
    expect(table.stdout).not.toMatch(/\u001b\[/);

    const json = await bin(['status', '--at', '2026-12-01', '--json'], { env });
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout) as { tokens: Array<{ name: string; lastAlert: string | null }> };
    expect(report.tokens.map((t) => [t.name, t.lastAlert])).toEqual([
      ['okta-prod', '60-day'],
      ['entra/corp', null],
    ]);
  });

  it('check prints the alerts that are due, and publishes and writes nothing', async () => {
    aws.put(`${PREFIX}okta-prod`, '{"createdAt":"2026-01-15","identityProvider":"okta"}');
    const r = await bin(['check', '--at', '2026-12-16T08:00:00Z', '--json'], { env });
    // An alert is due: exit 1, like status.
    expect(r.code).toBe(1);
    expect(r.stderr).toBe(
      'scim-token-monitor: 1 alert(s) due: see above (exit 1, so scripts can act on it).\n',
    );
    expect((JSON.parse(r.stdout) as Array<{ subject: string }>).map((a) => a.subject)).toEqual([
      '[WARNING] SCIM token okta-prod expires in 30 days (2027-01-15 00:00 UTC)',
    ]);
    expect(aws.published).toEqual([]);
    expect(aws.count('ssm:PutParameter')).toBe(0);
    const text = await bin(['check', '--at', '2026-12-16T08:00:00Z'], { env });
    expect(text.stdout).toContain('1 alert(s) would be sent (nothing was published or written):');
    expect(text.stdout).toContain(
      'Subject: [WARNING] SCIM token okta-prod expires in 30 days (2027-01-15 00:00 UTC)',
    );
  });

  it("test-alert finds the topic from the deployment's settings and publishes a marked test alert", async () => {
    deploy(aws, { alertTopicArn: TOPIC });
    const r = await bin(['test-alert'], { env });
    expect(r.code).toBe(0);
    expectCleanStderr(r.stderr);
    expect(r.stdout).toContain(`Test alert published to ${TOPIC}`);
    expect(aws.published).toHaveLength(1);
    expect(aws.published[0]).toMatchObject({
      topicArn: TOPIC,
      subject: '[TEST] 123456789012: SCIM token monitor: test alert, no action needed',
      messageStructure: 'json',
      attributes: { alertType: { dataType: 'String', value: 'test' } },
    });

    const other = await bin(['test-alert', '--topic-arn', `${TOPIC}-2`], { env });
    expect(other.code).toBe(0);
    expect(aws.published[1]?.topicArn).toBe(`${TOPIC}-2`);

    const missing = await bin(['test-alert', '--stack-name', 'Nope'], { env });
    expect(missing).toMatchObject({
      code: 1,
      stderr:
        'scim-token-monitor: No scim-token-monitor deployment in stack Nope in this region (nothing under /scim-token-monitor/deployments/Nope/): check --stack-name and --region.\n',
    });
  });

  it('remove deletes the registration and its alert state, and reports an unknown token', async () => {
    aws.put(`${PREFIX}okta-prod`, '2026-01-15');
    deploy(aws);
    await aws.dynamodb.putState('token/okta-prod', '{"alertedThresholds":[60],"expiredAlerted":false}');
    aws.put(`${PREFIX}other`, '2026-01-15');
    const r = await bin(['remove', 'okta-prod'], { env });
    expect(r).toMatchObject({
      code: 0,
      stdout: `Removed okta-prod from SSM ${PREFIX} (and its alert state).\n`,
    });
    expect([...aws.parameters.keys()].filter((k) => k.startsWith(PREFIX))).toEqual([`${PREFIX}other`]);
    expect((await aws.dynamodb.items()).map((i) => i.pk?.S)).not.toContain('state#token/okta-prod');
    const again = await bin(['remove', 'okta-prod'], { env });
    expect(again).toMatchObject({
      code: 1,
      stderr: `scim-token-monitor: No token named okta-prod under ${PREFIX}.\n`,
    });
  });

  it('register --verify reads the token from standard input and registers only what the endpoint accepts', async () => {
    const ok = await bin(
      ['register', 'okta-next', '--created-at', '2026-11-20', '--verify', '--scim-endpoint', scim.endpoint],
      { env, input: `${GOOD}\n` },
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain('IAM Identity Center accepted the token.');
    expect(scim.seen).toEqual(['GET /tenant-123/scim/v2/ServiceProviderConfig']);
    expect(ok.stdout + ok.stderr + JSON.stringify([...aws.parameters.values()])).not.toContain(GOOD);
    expect(aws.parameters.get(`${PREFIX}okta-next`)?.value).toBe('{"createdAt":"2026-11-20"}');

    const bad = await bin(
      ['register', 'okta-bad', '--created-at', '2026-11-20', '--verify', '--scim-endpoint', scim.endpoint],
      { env, input: 'not-the-token\n' },
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('rejected the token (HTTP 401)');
    expect(bad.stderr).toContain('Nothing was registered.');
    expect(aws.parameters.has(`${PREFIX}okta-bad`)).toBe(false);
  });
});

describe('offline, against a JSON registry file', () => {
  it('status, check, register and remove work with no AWS configuration at all', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'scim-cli-')), 'registry.json');
    copyFileSync(example, file);
    const status = await bin(['status', '--registry', file, '--at', '2026-11-23']);
    // The example holds one invalid registration: status says so with exit 1.
    expect(status.code).toBe(1);
    expect(status.stderr).toBe(
      'scim-token-monitor: 1 invalid registration(s), 1 alert(s) due: see above (exit 1, so scripts can act on it).\n',
    );
    expect(status.stdout).toMatch(/okta-prod\s+2027-01-15\s+53/);
    const check = await bin(['check', '--registry', file, '--at', '2026-12-16T08:00:00Z', '--json']);
    expect(check.code).toBe(1);
    expect(JSON.parse(check.stdout)).toHaveLength(3);
    const reg = await bin(['register', 'lab', '--registry', file, '--created-at', '2026-03-01']);
    expect(reg.code).toBe(0);
    const rm = await bin(['remove', 'lab', '--registry', file]);
    expect(rm.code).toBe(0);
    expectCleanStderr(check.stderr + reg.stderr + rm.stderr);
  });
});

describe('the registry file behaves like SSM', () => {
  const scratch = () => path.join(mkdtempSync(path.join(tmpdir(), 'scim-cli-')), 'registry.json');

  it('a missing file is an error, except for register, which creates it', async () => {
    const file = scratch();
    expect(await bin(['status', '--registry', file])).toMatchObject({
      code: 2,
      stderr: `scim-token-monitor: No registry file at ${file}: check the path (register creates a new one).\n`,
    });
    expect((await bin(['remove', 'x', '--registry', file])).code).toBe(2);
    expect(
      (await bin(['register', 'okta-prod', '--registry', file, '--created-at', '2026-03-01'])).code,
    ).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual({ 'okta-prod': { createdAt: '2026-03-01' } });
  });

  it('names like constructor and __proto__ are names like any other', async () => {
    const file = scratch();
    for (const name of ['constructor', '__proto__', 'toString']) {
      expect((await bin(['register', name, '--registry', file, '--created-at', '2026-03-01'])).code).toBe(0);
    }
    const again = await bin([
      'register',
      '__proto__',
      '--registry',
      file,
      '--created-at',
      '2026-04-01',
      '--overwrite',
    ]);
    expect(again.code).toBe(0);
    expect(Object.keys(JSON.parse(readFileSync(file, 'utf8')))).toEqual([
      'constructor',
      '__proto__',
      'toString',
    ]);
    expect(readFileSync(file, 'utf8')).toContain('"__proto__": {\n    "createdAt": "2026-04-01"');
    expect((await bin(['remove', 'constructor', '--registry', file])).code).toBe(0);
    expect((await bin(['remove', 'constructor', '--registry', file])).code).toBe(1);
  });

  it.each([['../etc/passwd'], ['a/./b'], [Array.from({ length: 14 }, (_, i) => `l${i}`).join('/')]])(
    'refuses %s, as SSM would',
    async (name) => {
      const r = await bin(['register', name, '--registry', scratch(), '--created-at', '2026-03-01']);
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/is not a valid token name|is too deep: SSM allows 15 levels/);
    },
  );

  it('takes identity providers in any case and by their common aliases', async () => {
    const file = scratch();
    for (const [name, given] of [
      ['a', 'Okta'],
      ['b', 'Azure-AD'],
      ['c', 'Ping Identity'],
    ]) {
      await bin([
        'register',
        name as string,
        '--registry',
        file,
        '--created-at',
        '2026-03-01',
        '--identity-provider',
        given as string,
      ]);
    }
    const stored = JSON.parse(readFileSync(file, 'utf8')) as Record<string, { identityProvider: string }>;
    expect(Object.values(stored).map((r) => r.identityProvider)).toEqual([
      'okta',
      'entra-id',
      'Ping Identity',
    ]);
  });
});

describe('colour', () => {
  // `script` gives the bin a real terminal, as a person's shell would.
  // (status exits 1 here, for the example's invalid registration: `script -e` passes that on.)
  const inTerminal = (extra: string) =>
    spawnSync(
      'script',
      [
        '-qec',
        `${extra} ${process.execPath} ${BIN} status --registry ${example} --at 2026-11-23`,
        '/dev/null',
      ],
      { encoding: 'utf8', env: { PATH: process.env.PATH ?? '', HOME: tmpdir(), TERM: 'xterm' } },
    ).stdout;

  it('colours a terminal by severity, and never with NO_COLOR', () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes.
    expect(inTerminal('')).toMatch(/\u001b\[/);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: ANSI colour codes.
    expect(inTerminal('NO_COLOR=1')).not.toMatch(/\u001b\[/);
  });
});
