/**
 * docs/security.md says what the templates grant, and the templates grant exactly that: its
 * "what the template grants" blocks are the synthesized policies, rendered (test/support/
 * policy-summary.ts). A statement the document does not list (a CloudWatch principal on the topic,
 * an unconditioned key grant) fails here. `UPDATE_POLICY_DOCS=1 npx jest test/docs-security`
 * rewrites the blocks after a deliberate change, for review in the diff.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import { ScimTokenHealthForwarder } from '../lib/health-forwarder';
import { ScimTokenExpiryMonitor } from '../lib/scim-token-expiry-monitor';
import { policySummary } from './support/policy-summary';
import { synthStack } from './support/stack';

const DOC = path.join(__dirname, '..', 'docs', 'security.md');
type Json = Parameters<typeof policySummary>[0];
const json = (t: Template) => t.toJSON() as Json;

const EVERY_OPTION = {
  alertEmails: 'oncall@example.com',
  slackWorkspaceId: 'T07EA123LEP',
  slackChannelId: 'C0123456789',
  teamsTeamId: '00000000-0000-0000-0000-000000000001',
  teamsChannelId: '19%3aabc%40thread.tacv2',
  teamsTenantId: '00000000-0000-0000-0000-000000000002',
  slackWebhookSecretName: 'scim-monitor/slack-webhook',
  slackWebhookSecretKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  verifyStoredTokens: 'vault/okta',
  scimEndpoint: 'https://scim.eu-west-1.amazonaws.com/tenant-123/scim/v2/',
  healthSourceAccounts: '111111111111',
  scheduleTimeZone: 'America/New_York',
  pagerDutySecretName: 'platform/pagerduty',
};

/** The lines `full` has beyond `base`, under their groups. */
function added(base: string[], full: string[]): string[] {
  const seen = new Set<string>();
  let group = '';
  for (const line of base) {
    if (!line.startsWith('  ')) group = line;
    else seen.add(`${group}\n${line}`);
  }
  const out: string[] = [];
  group = '';
  for (const line of full) {
    if (!line.startsWith('  ')) {
      group = line;
      continue;
    }
    if (seen.has(`${group}\n${line}`)) continue;
    if (out.at(-1) !== group && !out.includes(group)) out.push(group);
    out.push(line);
  }
  return out;
}

function blocks(): Record<string, string[]> {
  const defaults = policySummary(json(synthStack({ alertEmails: 'oncall@example.com' }).template));
  const everything = policySummary(json(synthStack(EVERY_OPTION).template));
  const existing = (() => {
    const stack = new Stack(new App(), 'Platform');
    const topic = sns.Topic.fromTopicArn(
      stack,
      'Alerts',
      'arn:aws:sns:eu-west-1:222222222222:platform-alerts',
    );
    const key = kms.Key.fromKeyArn(
      stack,
      'AlertsKey',
      'arn:aws:kms:eu-west-1:222222222222:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
    new ScimTokenExpiryMonitor(stack, 'Monitor', { alertTopic: topic, alertTopicKey: key });
    return policySummary(json(Template.fromStack(stack)));
  })();
  const forwarder = (() => {
    const stack = new Stack(new App(), 'Forwarder');
    new ScimTokenHealthForwarder(stack, 'Default', {
      targetBusArn: 'arn:aws:events:eu-west-1:222222222222:event-bus/default',
    });
    return policySummary(json(Template.fromStack(stack)));
  })();
  return {
    default: defaults,
    options: added(defaults, everything),
    'existing-topic': existing.filter((l, i, all) => {
      // Only what differs in kind: the publishers' grants on a topic from elsewhere.
      const group =
        all
          .slice(0, i + 1)
          .reverse()
          .find((g) => !g.startsWith('  ')) ?? '';
      return (
        /^role <Monitor(Role|SelfMonitoringAlarmRelayRole)>:$/.test(group) &&
        (l === group || /sns:|kms:/.test(l))
      );
    }),
    forwarder,
  };
}

const block = (name: string, lines: string[]) =>
  `<!-- policy-summary: ${name} -->\n\`\`\`text\n${lines.join('\n')}\n\`\`\`\n<!-- /policy-summary -->`;
const BLOCK = /<!-- policy-summary: ([\w-]+) -->\n```text\n[\s\S]*?\n```\n<!-- \/policy-summary -->/g;

describe('docs/security.md', () => {
  const generated = blocks();

  it('lists exactly what the templates grant: default, every option, an existing topic, the forwarder', () => {
    let doc = readFileSync(DOC, 'utf8');
    if (process.env.UPDATE_POLICY_DOCS) {
      doc = doc.replace(BLOCK, (_, name: string) => block(name, generated[name] ?? []));
      writeFileSync(DOC, doc);
    }
    const documented = Object.fromEntries([...doc.matchAll(BLOCK)].map((m) => [m[1], m[0]]));
    expect(Object.keys(documented).sort()).toEqual(Object.keys(generated).sort());
    for (const [name, lines] of Object.entries(generated)) expect(documented[name]).toBe(block(name, lines));
  });

  it('grants no CloudWatch principal, and no key use without kms:ViaService, in any of them', () => {
    for (const lines of Object.values(generated)) {
      // CloudWatch alarms themselves (lambda.alarms.cloudwatch… invoking the relay is not that).
      expect(
        lines.filter((l) => /Service cloudwatch\.amazonaws\.com|^ {2}cloudwatch\.amazonaws\.com:/.test(l)),
      ).toEqual([]);
      // Every role statement on a key names the service it goes through.
      expect(lines.filter((l) => /^ {2}Allow kms:/.test(l) && !l.includes('kms:ViaService'))).toEqual([]);
    }
  });
});

describe('docs/governed-organizations.md, an existing topic', () => {
  const doc = readFileSync(path.join(__dirname, '..', 'docs', 'governed-organizations.md'), 'utf8');
  const section = doc.split('## An existing topic')[1]?.split('\n## ')[0] ?? '';

  it('asks the topic to admit exactly what the publishers are granted, and no CloudWatch principal', () => {
    const lines = blocks()['existing-topic'] ?? [];
    // Both roles publish; both use the key through SNS; only the function counts subscriptions.
    expect(lines.filter((l) => l.includes('sns:Publish'))).toHaveLength(2);
    expect(
      lines.filter((l) => /kms:GenerateDataKey\*, kms:Decrypt .* kms:ViaService sns\./.test(l)),
    ).toHaveLength(2);
    expect(lines.filter((l) => l.includes('sns:GetTopicAttributes'))).toHaveLength(1);
    for (const claim of [
      "the monitor function's role",
      "the alarm relay's role",
      '`sns:Publish` on the topic',
      '`sns:GetTopicAttributes`',
      '`kms:GenerateDataKey*` and `kms:Decrypt` through SNS',
      'No CloudWatch principal is needed',
    ]) {
      expect(section).toContain(claim);
    }
    expect(section).not.toContain('cloudwatch.amazonaws.com');
  });
});
