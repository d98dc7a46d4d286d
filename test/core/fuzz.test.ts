/**
 * Property-based fuzzing (fast-check) of everything that takes text from outside: the
 * registration parser, the renderers (e-mail, Chatbot, Slack) and chat escaping, the AWS Health
 * parser, the topic-message classifier, the SCIM endpoint check and the CLI's terminal output.
 * Bounded (a few hundred runs each, a fixed seed in CI) so the suite stays fast; a failure prints
 * the seed and the shrunk input to replay.
 */
import fc from 'fast-check';
import { forTerminal } from '../../cli/output';
import type { Alert } from '../../core/alert';
import { chatSafe, slackMessage } from '../../core/chat';
import { parseHealthEvent, parseHealthRecord } from '../../core/health';
import { renderAlert } from '../../core/messages';
import { classifyMessage } from '../../core/notification';
import {
  EMPTY_PROVISIONING,
  foldWindow,
  nextWindow,
  parseScimCall,
  SCIM_EVENT_SOURCE,
} from '../../core/provisioning';
import { provisioningView } from '../../core/provisioning-view';
import { parseRegistration, type Token } from '../../core/registration';
import { parseScimEndpoint } from '../../core/scim-endpoint';
import { OKTA_PROD, PARAMETER_PREFIX } from '../support/token';

/** The colour codes the CLI itself writes (red, bold, yellow, cyan, green, grey, resets). */
const OWN_COLOURS = new RegExp(`${String.fromCharCode(27)}\\[(?:1|22|3[1236]|39|90)m`, 'g');
const RUNS = { numRuns: 300, seed: Number(process.env.FUZZ_SEED ?? 20261124) };
const PREFIX = PARAMETER_PREFIX;
const NOW = new Date('2026-11-24T08:00:00Z');

/** Text an attacker would try: controls, bidi, markdown, mentions, URLs, any Unicode. */
const hostile = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        '<!channel>',
        '@here',
        '<https://evil.example|x>',
        '[a](https://evil.example)',
        '![i](http://evil.example/p.png)',
        'https://evil.example/x',
        'www.evil.example',
        'evil.co',
        '\u202e',
        '\u2066',
        '\ufeff',
        '\u001b[2J',
        '\u001b]52;c;eA==\u0007',
        '\u009b',
        '\ud800',
        '*',
        '_',
        '~',
        '`',
        '&',
        '\n',
        ' ',
        'okta',
        '😀',
      ),
      { maxLength: 20 },
    )
    .map((parts) => parts.join('')),
);

const CONTROLS =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
  /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const LIVE_URL = /\b[a-z][a-z0-9+.-]*:\/\/[^\s"`)<>|\\]+/gi;
const OWN_LINK = /^https:\/\/(console\.aws\.amazon\.com|docs\.aws\.amazon\.com)\//;

const token = (owner: string, notes: string, tokenId: string): Token => ({
  ...OKTA_PROD,
  owner,
  notes,
  tokenId,
});

const alertTypes = fc.constantFrom(
  'expiry-warning',
  'expired',
  'invalid-registration',
  'unregistered-token',
  'token-rejected',
  'token-date-moved',
  'probe-inconclusive',
  'token-rotated',
  'scim-calls-failing',
  'scim-calls-silent',
) as fc.Arbitrary<Alert['alertType']>;

/** What CloudTrail recorded of SCIM calls, with text from outside (error messages, operations). */
function observed(operation: string, message: string) {
  const call = (t: string, failed: boolean) =>
    parseScimCall(
      JSON.stringify({
        eventSource: SCIM_EVENT_SOURCE,
        eventName: operation || 'PatchUser',
        eventTime: t,
        requestParameters: { tenantId: message || 't' },
        userIdentity: { accessKeyId: operation || 'k' },
        ...(failed ? { errorCode: operation || 'E', errorMessage: message } : {}),
      }),
    );
  const calls = [call('2026-11-23T10:00:00Z', false), call('2026-11-23T11:00:00Z', true)].filter(
    (c) => c !== undefined,
  );
  const window = nextWindow(EMPTY_PROVISIONING, NOW) as { from: Date; to: Date };
  return provisioningView(foldWindow(EMPTY_PROVISIONING, { ...window, calls, complete: true }));
}

describe('fuzzing what comes from outside', () => {
  it('the registration parser never throws, and its reason is one printable line', () => {
    fc.assert(
      fc.property(
        hostile,
        fc.constantFrom('String', 'SecureString', 'StringList', ''),
        fc.json(),
        (text, type, json) => {
          for (const value of [text, json]) {
            const r = parseRegistration(
              { name: `${PREFIX}t`, type, value, version: 1, lastModified: NOW },
              { prefix: PREFIX, defaultValidityDays: 365 },
              NOW,
            );
            if (!r.valid) {
              expect(r.invalid.reason).not.toMatch(CONTROLS);
              expect(r.invalid.reason).not.toContain('\n');
            }
          }
        },
      ),
      RUNS,
    );
  });

  it('chat escaping leaves no mention, link, markdown or control character, within the cap', () => {
    fc.assert(
      fc.property(hostile, fc.integer({ min: 1, max: 400 }), (text, max) => {
        const safe = chatSafe(text, max);
        expect(safe.length).toBeLessThanOrEqual(max * 2 + 40);
        expect(safe).not.toMatch(/<|>|@(here|channel|everyone)\b|\]\(|!\[|:\/\/|[*_~`]/);
        expect(safe).not.toMatch(CONTROLS);
      }),
      RUNS,
    );
  });

  it('every rendering of an alert shows registration and AWS Health text, never a link but its own', () => {
    fc.assert(
      fc.property(
        alertTypes,
        hostile,
        hostile,
        hostile,
        hostile,
        (alertType, owner, notes, tokenId, reason) => {
          const provisioning = observed(tokenId, reason);
          const alert: Alert = {
            ...(provisioning ? { provisioning } : {}),
            alertType,
            severity: 'critical',
            evaluatedAt: NOW,
            tokenName: 'okta-prod',
            parameterName: `${PREFIX}okta-prod`,
            parameterVersion: 1,
            token: token(owner, notes, tokenId),
            daysRemaining: 7,
            threshold: 7,
            reason,
            consoleUrl: 'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
            account: '123456789012',
            region: 'eu-west-1',
            registryPrefix: PREFIX,
          };
          const r = renderAlert(alert);
          expect(r.subject).toMatch(/^[\x20-\x7e]{1,100}$/);
          const chat = [JSON.stringify(r.chatbot), JSON.stringify(slackMessage(r.payload))];
          for (const text of [r.text, ...chat]) {
            for (const url of text.match(LIVE_URL) ?? []) expect(url).toMatch(OWN_LINK);
            expect(text).not.toMatch(CONTROLS);
          }
          for (const text of chat) expect(text).not.toMatch(/<!(channel|here|everyone)>|\]\(|!\[/);
        },
      ),
      { ...RUNS, numRuns: 200 },
    );
  });

  it('the AWS Health and topic-message parsers never throw on any JSON', () => {
    fc.assert(
      fc.property(fc.jsonValue(), hostile, (value, text) => {
        const event = typeof value === 'object' && value !== null ? value : { detail: value };
        expect(() => parseHealthEvent(event)).not.toThrow();
        expect(() =>
          parseHealthEvent({ source: 'aws.health', 'detail-type': 'AWS Health Event', detail: value }),
        ).not.toThrow();
        expect(() => parseHealthRecord(JSON.stringify(value))).not.toThrow();
        expect(() => parseHealthRecord(text)).not.toThrow();
        const kind = classifyMessage(JSON.stringify(value)).kind;
        expect(['alert', 'alarm', 'other']).toContain(kind);
        expect(() => classifyMessage(text)).not.toThrow();
      }),
      RUNS,
    );
  });

  it("the SCIM endpoint check accepts only IAM Identity Center's hosts over https", () => {
    const near = fc
      .tuple(
        fc.constantFrom('https://', 'http://', 'https://user@', ''),
        fc.constantFrom(
          'scim.us-east-1.amazonaws.com',
          'scim.cn-north-1.amazonaws.com.cn',
          'evil.example',
          'scim.us-east-1.amazonaws.com.evil.example',
        ),
        fc.constantFrom('', ':443', ':8443', '@evil.example'),
        fc.constantFrom('/t/scim/v2/', '/t/scim/v2', '/scim/v2/', '/t/scim/v2/?x=1', '/t/other/', ''),
      )
      .map((parts) => parts.join(''));
    fc.assert(
      fc.property(fc.oneof(near, hostile), (text) => {
        let parsed: ReturnType<typeof parseScimEndpoint> | undefined;
        try {
          parsed = parseScimEndpoint(text);
        } catch (error) {
          expect((error as Error).message).not.toContain('\n');
          return;
        }
        expect(parsed.url.protocol).toBe('https:');
        expect(parsed.url.hostname).toMatch(/^scim\.[a-z0-9-]+\.amazonaws\.com(\.cn)?$/);
        expect(parsed.url.username + parsed.url.password + parsed.url.port + parsed.url.search).toBe('');
      }),
      RUNS,
    );
  });

  it('CLI output reaches the terminal without any escape sequence but its own colours', () => {
    fc.assert(
      fc.property(hostile, (text) => {
        const shown = forTerminal(text);
        expect(shown.replace(OWN_COLOURS, '')).not.toMatch(CONTROLS);
      }),
      RUNS,
    );
  });
});
