/**
 * The shipped CLI, offline, against a registry file written to attack a terminal: names and values
 * are shown, never acted on.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bin } from '../support/bin';

describe('what the CLI prints', () => {
  it('prints names and values from the file so that a terminal only shows them', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'scim-cli-'));
    const file = path.join(dir, 'registry.json');
    writeFileSync(
      file,
      JSON.stringify({
        'okta-prod': {
          createdAt: '2026-01-15',
          // OSC 52 (write the clipboard), a bidi override, clear-screen and hidden text.
          owner: '\u001b]52;c;ZXZpbA==\u0007 \u202eevil',
          notes: '\u001b[2J\u001b[8mhidden',
        },
        broken: { createdAt: '\u001b[2J2026-13-01\u009b31m' },
      }),
    );
    const outputs = await Promise.all([
      bin(['status', '--registry', file, '--at', '2026-11-23']),
      bin(['status', '--registry', file, '--at', '2026-11-23', '--json']),
      bin(['check', '--registry', file, '--at', '2026-12-16T08:00:00Z']),
      bin(['check', '--registry', file, '--at', '2026-12-16T08:00:00Z', '--json']),
    ]);
    for (const r of outputs) {
      const all = r.stdout + r.stderr;
      expect(all).toContain('okta-prod');
      // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
      expect(all).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069]/);
    }
    // The JSON is still JSON, with the characters escaped.
    expect(() => JSON.parse(outputs[1]?.stdout ?? '')).not.toThrow();
    // A name the registry refuses is quoted in the error, harmlessly.
    writeFileSync(file, JSON.stringify({ 'bad\u001b]0;pwned\u0007\u202ename': '2026-01-15' }));
    const refused = await bin(['status', '--registry', file]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('bad\\u001b]0;pwned\\u0007\\u202ename');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(refused.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u202e]/);
  });
});
