/** The CLI in-process (through `main()`), offline against a JSON registry file. */
import { readFileSync } from 'node:fs';
import 'aws-sdk-client-mock-jest';
import { cli, example, scratchRegistry, useMockedAws } from '../support/cli-in-process';

useMockedAws();

describe('offline, against a file registry', () => {
  it('status lists every token sorted by expiry, and the invalid ones with their reason', async () => {
    const { code, stdout } = await cli('status', '--registry', example, '--at', '2026-11-23', '--json');
    // One registration is invalid and okta-prod's 60-day alert is due: exit 1, after the report.
    expect(code).toBe(1);
    const report = JSON.parse(stdout) as {
      tokens: Array<{
        name: string;
        daysRemaining: number | null;
        nextAlert: unknown;
        reason: string | null;
      }>;
    };
    expect(report.tokens.map((t) => t.name)).toEqual([
      'okta-prod',
      'google-workspace',
      'entra-id/corp',
      'jumpcloud-lab',
      'onelogin-legacy',
    ]);
    expect(report.tokens[0]).toMatchObject({
      daysRemaining: 53,
      nextAlert: { alert: '60-day', date: '2026-11-23' },
    });
    expect(report.tokens[4]?.reason).toBe('createdAt "2026-02-30" is not a real calendar date');
  });

  it('status prints a table, without colour when stdout is not a terminal', async () => {
    const { code, stdout } = await cli('status', '--registry', example, '--at', '2026-11-23', '--wide');
    expect(code).toBe(1);
    expect(stdout).toMatch(
      /NAME\s+PROVIDER\s+TOKEN ID\s+CREATED\s+EXPIRES\s+DAYS LEFT\s+LAST ALERT\s+NEXT ALERT\s+AWS HEALTH/,
    );
    expect(stdout).toMatch(/okta-prod\s+Okta\s+3f9a1c2d-okta-prod\s+2026-01-15\s+2027-01-15\s+53/);
    expect(stdout).toContain('onelogin-legacy: createdAt "2026-02-30" is not a real calendar date');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: no ANSI colour codes in a pipe.
    expect(stdout).not.toMatch(/\u001b\[/);
  });

  it("check prints exactly the alerts the monitor's evaluation decides", async () => {
    const { code, stdout } = await cli(
      'check',
      '--registry',
      example,
      '--at',
      '2026-12-16T08:00:00Z',
      '--json',
    );
    // Alerts are due: exit 1, like status.
    expect(code).toBe(1);
    const alerts = JSON.parse(stdout) as Array<{ subject: string }>;
    expect(alerts.map((a) => a.subject)).toEqual([
      '[WARNING] SCIM token okta-prod expires in 30 days (2027-01-15 00:00 UTC)',
      '[INFO] SCIM token google-workspace expires in 56 days (2027-02-10 00:00 UTC)',
      '[WARNING] SCIM token registration onelogin-legacy is invalid: not monitored',
    ]);
  });

  it('register validates like the monitor, refuses to overwrite, and writes with --overwrite', async () => {
    const file = scratchRegistry();
    const bad = await cli('register', 'okta-dev', '--registry', file, '--created-at', '2026-02-30');
    expect(bad).toMatchObject({
      code: 2,
      stderr: 'scim-token-monitor: Not registered: createdAt "2026-02-30" is not a real calendar date.\n',
    });

    const ok = await cli(
      'register',
      'okta-dev',
      '--registry',
      file,
      '--created-at',
      '2026-03-01',
      '--token-id',
      'tok-dev',
      '--identity-provider',
      'okta',
    );
    expect(ok.code).toBe(0);
    expect(ok.stdout).toContain(`Registered okta-dev in ${file}:`);
    expect(JSON.parse(readFileSync(file, 'utf8'))['okta-dev']).toEqual({
      createdAt: '2026-03-01',
      tokenId: 'tok-dev',
      identityProvider: 'okta',
    });

    const again = await cli('register', 'okta-dev', '--registry', file, '--created-at', '2026-04-01');
    expect(again).toMatchObject({ code: 1, stderr: expect.stringContaining('already registered') });
    const over = await cli(
      'register',
      'okta-dev',
      '--registry',
      file,
      '--created-at',
      '2026-04-01',
      '--overwrite',
    );
    expect(over.code).toBe(0);
    // A rotation keeps where the token lives (identity provider), not the old token's ID.
    expect(JSON.parse(readFileSync(file, 'utf8'))['okta-dev']).toEqual({
      createdAt: '2026-04-01',
      identityProvider: 'okta',
    });
  });

  it('remove deregisters a token and reports an unknown one', async () => {
    const file = scratchRegistry();
    expect((await cli('remove', 'okta-prod', '--registry', file)).code).toBe(0);
    expect(JSON.parse(readFileSync(file, 'utf8'))).not.toHaveProperty('okta-prod');
    expect(await cli('remove', 'okta-prod', '--registry', file)).toMatchObject({
      code: 1,
      stderr: `scim-token-monitor: No token named okta-prod in ${file}.\n`,
    });
  });

  it.each([
    [
      ['check', '--registry', example, '--at', 'next tuesday'],
      2,
      '--at "next tuesday" is not an ISO 8601 date',
    ],
    [
      ['register', 'bad name!', '--registry', example, '--created-at', '2026-01-01'],
      2,
      'is not a valid token name',
    ],
    [['register', 'x', '--registry', example], 2, '--created-at <YYYY-MM-DD> is required'],
    [
      ['register', 'x', '--registry', example, '--created-at', '2026-01-01', '--validity-days', 'ten'],
      2,
      'is not a whole number',
    ],
    [['register', 'x', '--registry', example, '--created-at', '2099-01-01'], 2, 'is in the future'],
    [
      ['status', '--registry', example, '--thresholds', '60,abc'],
      2,
      '--thresholds "60,abc" must be positive whole numbers',
    ],
    [['status', '--registry', example, '--prefix', 'tokens'], 2, '--prefix must start with "/"'],
  ])('%j fails with exit %i: %s', async (argv, exitCode, message) => {
    const r = await cli(...argv);
    expect(r.code).toBe(exitCode);
    expect(r.stderr).toContain(message);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('answers --help on every command, and a usage error with exit 2', async () => {
    for (const command of ['register', 'status', 'check', 'test-alert', 'remove']) {
      const r = await cli(command, '--help');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain(`Usage: scim-token-monitor ${command}`);
    }
    expect((await cli('frobnicate')).code).toBe(2);
    expect((await cli('status', '--no-such-flag')).code).toBe(2);
  });
});
