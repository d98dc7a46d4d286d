/**
 * The shipped CLI starts fast: what does not talk to AWS (help, usage errors, a registry file)
 * loads none of the AWS SDK clients, which take most of a start-up to load.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bin } from '../support/bin';

describe('start-up', () => {
  it('loads no AWS SDK client until a command talks to AWS', async () => {
    const loaded = async (args: string[], extra: Record<string, string> = {}) => {
      const r = await bin(args, {
        env: {
          NODE_OPTIONS: `--require ${path.join(__dirname, '..', 'support', 'loaded-packages.cjs')}`,
          ...extra,
        },
      });
      return /^loaded packages: (.*)$/m.exec(r.stderr)?.[1]?.split(' ') ?? [];
    };
    const registry = path.join(mkdtempSync(path.join(tmpdir(), 'scim-startup-')), 'r.json');
    for (const args of [
      ['--help'],
      ['status', '--registry', registry, '--create'],
      ['register', '--bogus'],
    ]) {
      expect((await loaded(args)).filter((p) => p.startsWith('@aws-sdk/'))).toEqual([]);
    }
    // Non-vacuous: a command against AWS does load them.
    expect(
      await loaded(['status'], { AWS_REGION: 'eu-west-1', AWS_ENDPOINT_URL: 'http://127.0.0.1:9' }),
    ).toContain('@aws-sdk/client-ssm');
  });
});
