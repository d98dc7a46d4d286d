/**
 * Names in e-mail never become links: SSM accepts `www.okta-scim-rotation.com` as a token name,
 * and a mail client would turn it into a link inside the very message that tells on-call where to
 * go and what to run. Through the bundle as it ships: every alert a registry of link-shaped names
 * makes is read by linkify-it (markdown-it's linkifier, with every top-level domain, the way mail
 * clients find bare domains), and the only links are the AWS console's; the commands still paste.
 */
import { LinkifyIt } from 'linkify-it';
import { parse } from 'shell-quote';
import tlds from 'tlds';
import { invokeBundle } from '../../tools/bundle';
import { MONITOR_ENV, scheduledEvent } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;
const NAME = 'www.okta-scim-rotation.com';
const linkify = new LinkifyIt({ fuzzyLink: true, fuzzyEmail: true, fuzzyIP: true }).tlds(tlds);
/** The links a mail client would make, but the AWS console's (the monitor's own, on purpose). */
const foreignLinks = (text: string) =>
  (linkify.match(text) ?? [])
    .map((m) => m.url)
    .filter((url) => !/^https:\/\/([a-z0-9-]+\.)*console\.aws\.amazon\.com\//.test(url));

useMonitor({ registry: 'empty' });

it('the e-mail for a token named www.okta-scim-rotation.com contains no link but the console, and its command pastes', async () => {
  // Its 30-day alert is due; a second, invalid one, and notes and an owner shaped like links too.
  aws.put(
    `${prefix}${NAME}`,
    JSON.stringify({
      createdAt: '2026-01-15',
      tokenId: 'okta.prod.example',
      identityProvider: 'okta',
      owner: 'identity.team.example',
      notes: 'rotate at https://okta-scim-rotation.com/login or ｗｗｗ．evil．com',
    }),
  );
  aws.put(`${prefix}okta-scim-rotation.net`, '{"createdAt":"2026-02-30"}');
  const { results } = await invokeBundle(bundle, [scheduledEvent('2026-12-16T08:00:00Z')], env);
  expect(results.every((r) => r.ok)).toBe(true);
  const emails = aws.published.map((p) => ({
    subject: p.subject ?? '',
    text: JSON.parse(p.message).email as string,
  }));
  expect(emails.map((e) => e.subject).sort()).toEqual([
    '[WARNING] 123456789012: SCIM token registration okta-scim-rotation[.]net is invalid: not monitored',
    '[WARNING] 123456789012: SCIM token www[.]okta-scim-rotation[.]com expires in 30 days (2027-01-15)',
  ]);
  for (const e of emails) {
    expect({ subject: e.subject, links: foreignLinks(`${e.subject}\n${e.text}`) }).toEqual({
      subject: e.subject,
      links: [],
    });
  }
  // The name is still there to read, and the commands still work when pasted into a shell.
  const warning = emails.find((e) => e.subject.includes('expires')) as { text: string };
  expect(warning.text).toContain('"www[.]okta-scim-rotation[.]com"');
  const command = warning.text.split('\n').find((l) => l.includes('npx scim-token-monitor register')) ?? '';
  const words = parse(command.slice(command.indexOf('npx'))) as string[];
  expect(words.slice(0, 4)).toEqual(['npx', 'scim-token-monitor', 'register', NAME]);
  const invalid = emails.find((e) => e.subject.includes('invalid')) as { text: string };
  const put = invalid.text.split('\n').find((l) => l.includes('aws ssm put-parameter')) ?? '';
  const args = parse(put.trim()) as string[];
  expect(args[args.indexOf('--name') + 1]).toBe(`${prefix}okta-scim-rotation.net`);
});
