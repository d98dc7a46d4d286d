/**
 * `register --store-token`, as the shipped bin does it against the local stand-in: which key the
 * token is stored under (never aws/ssm unless the operator says so, refused before the token is
 * read), where SSM requests go (named when overridden), and that the token is never printed.
 */
import { bin } from '../support/bin';
import { deploy } from '../support/deployment';
import { aws, env, GOOD_TOKEN, scim, useStandIns } from '../support/stand-ins';

const PREFIX = '/scim-token-monitor/tokens/';
const GOOD = GOOD_TOKEN;

useStandIns();

describe('register --store-token', () => {
  it('register --store-token refuses the AWS managed key before reading the token or asking SCIM anything', async () => {
    // No deployment with a token key, no --kms-key: the token would go under aws/ssm.
    for (const args of [[], ['--kms-key', 'alias/aws/ssm']]) {
      aws.resetRecords();
      const r = await bin(
        ['register', 'okta-next', '--store-token', '--scim-endpoint', scim.endpoint, ...args],
        {
          env,
          input: GOOD,
        },
      );
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(
        /^scim-token-monitor: --store-token would encrypt the token with the AWS managed key aws\/ssm, whose policy lets every principal/,
      );
      expect(r.stderr).toContain('Nothing was read or registered.');
      // The token was never asked for, SCIM never asked, and SSM only told where the monitor is.
      expect(r.stdout + r.stderr).not.toContain('Paste the new SCIM access token');
      expect(aws.calls.map((c) => c.action).filter((a) => a !== 'ssm:GetParametersByPath')).toEqual([]);
      expect(aws.calls.every((c) => String(c.input.Path).startsWith('/scim-token-monitor/deployments'))).toBe(
        true,
      );
    }
    expect(scim.seen).toEqual([]);
    expect(aws.parameters.has(`${PREFIX}okta-next`)).toBe(false);
  });

  it('register --store-token --allow-aws-managed-key keeps a verified token under aws/ssm, says what that means, and never prints it', async () => {
    const r = await bin(
      ['register', 'okta-next', '--store-token', '--allow-aws-managed-key', '--scim-endpoint', scim.endpoint],
      { env, input: GOOD },
    );
    expect(r.code).toBe(0);
    expect(aws.parameters.get(`${PREFIX}okta-next`)).toMatchObject({
      type: 'SecureString',
      value: GOOD,
      keyId: 'alias/aws/ssm',
    });
    expect(r.stdout + r.stderr).not.toContain(GOOD);
    expect(r.stdout).toContain(
      'Encrypted with the AWS managed key aws/ssm (--allow-aws-managed-key): any principal',
    );
    // The stand-in is an endpoint override: named before the token was read.
    expect(r.stderr).toBe(
      `scim-token-monitor: note: SSM requests go to ${env.AWS_ENDPOINT_URL}, an endpoint override (AWS_ENDPOINT_URL_SSM, AWS_ENDPOINT_URL or endpoint_url in your profile), not to AWS: the token will be stored there.\n`,
    );
  });

  it("register --store-token encrypts with the stack's token key, or the one given", async () => {
    const tokenKey = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    deploy(aws, { tokenKeyArn: tokenKey });
    const r = await bin(['register', 'vault/okta', '--store-token', '--scim-endpoint', scim.endpoint], {
      env,
      input: GOOD,
    });
    expect(r.code).toBe(0);
    expect(aws.parameters.get(`${PREFIX}vault/okta`)?.keyId).toBe(tokenKey);
    expect(r.stdout).toContain(`Encrypted with ${tokenKey}`);
    const given = await bin(
      [
        'register',
        'vault/entra',
        '--store-token',
        '--kms-key',
        'alias/scim-tokens',
        '--scim-endpoint',
        scim.endpoint,
      ],
      { env, input: GOOD },
    );
    expect(given.code).toBe(0);
    expect(aws.parameters.get(`${PREFIX}vault/entra`)?.keyId).toBe('alias/scim-tokens');
    const misplaced = await bin(['register', 'x', '--created-at', '2026-11-20', '--kms-key', 'alias/k'], {
      env,
    });
    expect(misplaced).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('--kms-key goes with --store-token'),
    });
  });
});
