/**
 * Alerts for chat: the AWS Chatbot (Amazon Q Developer in chat applications) custom notification
 * that Slack and Microsoft Teams channels render, and a Slack Block Kit message for incoming
 * webhooks. Both are built from the alert payload, and everything that came from a registration
 * is escaped for chat: no mention can be injected (`<!channel>`, `@here`), no markdown or link
 * syntax breaks out, control characters are removed, and lengths are capped.
 */
import { humanInstant } from './dates';
import { digestLines, omittedLine } from './digest';
import type { AlarmNotification } from './notification';
import type { AlertPayload } from './payload';
import { providerFor } from './providers';
import { rotationContext, rotationSteps } from './rotation';
import { defang, freeText, oneLine } from './text';

/** The custom notification format Chatbot renders (https://docs.aws.amazon.com/chatbot/, "custom notifications"). */
export interface ChatbotNotification {
  readonly version: '1.0';
  readonly source: 'custom';
  readonly id?: string;
  readonly content: {
    readonly textType: 'client-markdown';
    readonly title: string;
    readonly description: string;
    readonly nextSteps?: readonly string[];
    readonly keywords?: readonly string[];
  };
  readonly metadata?: {
    readonly threadId?: string;
    readonly summary?: string;
    readonly eventType?: string;
    readonly relatedResources?: readonly string[];
    readonly additionalContext?: Readonly<Record<string, string>>;
  };
}

/**
 * Text from a registration or AWS Health, safe inside Slack/Teams markdown: URLs and host names
 * are defanged and link/image syntax broken (no live link but the monitor's own), `&`, `<`, `>`
 * become entities (so `<!channel>` or `<https://evil|click>` cannot form), broadcast mentions are
 * broken with a zero-width space, and markdown characters become look-alikes that do not format.
 */
export function chatSafe(value: string, maxChars: number): string {
  return freeText(value, maxChars)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/@(here|channel|everyone)/gi, '@\u200b$1')
    .replace(/\*/g, '\u2217')
    .replace(/_/g, '\uff3f')
    .replace(/~/g, '\u223c')
    .replace(/`/g, '\u02cb');
}

/**
 * Where chat text goes: Slack's own mrkdwn (the webhook forwarder's Block Kit), which needs `&`,
 * `<` and `>` as entities everywhere and shows them as characters; or Chatbot's client markdown
 * (Slack and Teams), where entities inside code would show as typed.
 */
type ChatMode = 'slack' | 'chatbot';

/**
 * A name, path or command as inline code: markdown is not interpreted inside, so only backticks
 * must go, and `<`/`>` must not form Slack's special syntax: entities for Slack, and look-alike
 * angle quotes for Chatbot (a placeholder such as ‹new token ID› reads the same).
 */
function code(value: string, maxChars = 200, mode: ChatMode = 'chatbot'): string {
  const text = oneLine(value, maxChars).replace(/`/g, '\u02cb');
  return `\`${
    mode === 'slack'
      ? text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
      : text.replace(/</g, '\u2039').replace(/>/g, '\u203a')
  }\``;
}

/** `2027-01-15 00:00 UTC` from a payload's ISO instant. */
function human(iso: string | null): string {
  return iso ? humanInstant(new Date(iso)) : '';
}

// Unicode emoji, not Slack's :shortcodes:: one Chatbot message serves Slack and Teams channels,
// and Teams shows shortcodes as text.
const EMOJI = { critical: '🚨', warning: '⚠️', info: 'ℹ️' } as const;

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

/** One line saying what happened, with the token name as code. */
function headline(p: AlertPayload): string {
  const name = p.tokenName === null ? '' : code(p.tokenName);
  const date = human(p.expiresAt);
  switch (p.alertType) {
    case 'expiry-warning': {
      const days = p.daysRemaining ?? 0;
      return `SCIM token ${name} expires ${days <= 0 ? 'today' : `in ${plural(days, 'day')}`} (${date})`;
    }
    case 'expired':
      return p.reminder
        ? `SCIM token ${name} is STILL EXPIRED (since ${date}, reminder ${p.reminder})`
        : `SCIM token ${name} has EXPIRED (${date})`;
    case 'invalid-registration':
      return `SCIM token registration ${name} is invalid: not monitored`;
    case 'no-tokens':
      return 'No SCIM token is registered: nothing is monitored';
    case 'unregistered-token': {
      const days = p.daysRemaining ?? 0;
      return `AWS Health: an unregistered SCIM token expires ${days <= 0 ? 'today' : `in ${plural(days, 'day')}`} (${date})`;
    }
    case 'token-rejected':
      return `SCIM token ${name} was REJECTED by IAM Identity Center`;
    case 'token-date-moved':
      return `SCIM token ${name}: stored value rewritten, expiry moved to ${date}`;
    case 'probe-inconclusive':
      return `SCIM token ${name}: daily check inconclusive for days`;
    case 'monitor-alarm':
      return `SCIM token monitor alarm: ${chatSafe(p.reason?.split(':')[0] ?? '', 120)}`;
    case 'digest':
      return `${(p.digest?.length ?? 0) + (p.digestOmitted ?? 0)} SCIM token alerts due (digest)`;
    case 'health-notice-unreadable':
      return 'AWS Health: a SCIM token notice the monitor could not read';
    case 'subscribers-dropped':
      return 'SCIM token monitor: alert subscribers dropped';
    case 'token-rotated':
      return `SCIM token ${name} rotated: it now expires ${date}`;
    case 'scim-calls-failing':
      return 'SCIM provisioning calls are failing';
    case 'scim-calls-silent':
      return 'No successful SCIM provisioning call seen for a while';
    case 'test':
      return 'Test alert from the SCIM token monitor: no action needed';
  }
}

function explanation(p: AlertPayload): string {
  const provider = providerFor(p.identityProvider ?? undefined);
  switch (p.alertType) {
    case 'expiry-warning':
      return `When it expires, provisioning from ${provider.label} into AWS stops silently.`;
    case 'expired':
      return `${provider.id === 'other' ? 'The identity provider' : provider.label} can no longer provision users and groups into AWS.`;
    case 'invalid-registration':
      return `*Problem:* ${chatSafe(p.reason ?? '', 400)}`;
    case 'no-tokens':
      return 'Register each token in SSM Parameter Store under the registry prefix.';
    case 'unregistered-token':
      return `No registered token expires then: nobody is watching it. *AWS Health said:* ${chatSafe(p.reason ?? '', 600)}`;
    case 'token-rejected':
      return `The stored token no longer works (deleted, revoked or replaced): provisioning from ${providerFor(p.identityProvider ?? undefined).label} is failing now if it still uses it.`;
    case 'token-date-moved':
    case 'probe-inconclusive':
    case 'monitor-alarm':
    case 'health-notice-unreadable':
    case 'subscribers-dropped':
    case 'scim-calls-failing':
    case 'scim-calls-silent':
      return chatSafe(p.reason ?? '', 600);
    case 'digest': {
      const shown = (p.digest ?? []).slice(0, 50);
      return [
        'More alerts are due than the monitor sends one by one: these come together, the most urgent first.',
        ...digestLines(
          shown,
          (v) => code(v),
          (v) => chatSafe(v, 40),
        ),
        ...omittedLine((p.digest?.length ?? 0) - shown.length + (p.digestOmitted ?? 0)),
        'Details: `npx scim-token-monitor status`',
      ].join('\n');
    }
    case 'token-rotated':
      return `Its registration now shows a new token (the previous one expired ${human(p.previousExpiresAt ?? null)}): the alerts about that one are over, and a pager incident for it resolves. No action needed.`;
    case 'test':
      return 'Sent on request to check that alerts reach this channel.';
  }
}

function facts(p: AlertPayload): Array<[string, string]> {
  const rows: Array<[string, string | null]> = [
    ['Severity', p.threshold ? `${p.severity} (${p.threshold}-day threshold)` : p.severity],
    [p.alertType === 'expired' ? 'Expired' : 'Expires', p.expiresAt === null ? null : human(p.expiresAt)],
    ['Days remaining', p.daysRemaining === null ? null : String(p.daysRemaining)],
    ['Token ID', p.tokenId === null ? null : code(defang(p.tokenId), 128)],
    ['Identity provider', p.identityProvider === null ? null : providerFor(p.identityProvider).label],
    ['Owner', p.owner === null ? null : chatSafe(p.owner, 200)],
    ['Parameter', p.parameterName === null ? null : code(p.parameterName)],
    ['Identity Center', p.instance ? code(p.instance.instanceArn) : null],
    ['Account / region', [p.account, p.region].filter((v) => v).join(' / ') || null],
  ];
  return rows.filter((r): r is [string, string] => r[1] !== null);
}

function steps(p: AlertPayload, mode: ChatMode = 'chatbot'): string[] {
  if (p.alertType !== 'expiry-warning' && p.alertType !== 'expired' && p.alertType !== 'token-rejected') {
    if (p.alertType === 'invalid-registration') {
      return [
        `Fix the parameter ${code(p.parameterName ?? '')}: a JSON object such as \`{"createdAt":"2026-01-15","identityProvider":"okta"}\` or a bare date \`2026-01-15\`.`,
      ];
    }
    if (p.alertType === 'unregistered-token') {
      return [
        `Open IAM Identity Center ${p.consoleUrl} Settings > Identity source > Actions > Manage provisioning > Access tokens, and find the token that expires on ${p.expiryDate}.`,
        `Register it: \`scim-token-monitor register <name> --expires-at ${p.expiryDate} --token-id <ID>\``,
        'Then rotate it before it expires, or delete it if it is no longer used.',
      ];
    }
    if (p.alertType === 'no-tokens') {
      return [
        `Open IAM Identity Center: ${p.consoleUrl}`,
        'Register each token: `scim-token-monitor register <name> --created-at <YYYY-MM-DD>`',
      ];
    }
    return [];
  }
  // The token ID is free text: defanged even as code. Names are SSM names, left as typed.
  const ctx = rotationContext(p);
  // The command right after its step's words, before the notes on it.
  return rotationSteps({ ...ctx, tokenId: ctx.tokenId === null ? null : defang(ctx.tokenId) }, (v) =>
    code(v, 200, mode),
  ).map(
    (s) =>
      `${s.text}${s.link ? ` ${s.link}` : ''}${s.command ? ` ${code(s.command, 1500, mode)}` : ''}${s.more ? ` ${s.more.replace(/`([^`]*)`/g, (_, c: string) => code(c, 500, mode))}` : ''}`,
  );
}

/** The message Chatbot renders in Slack and Teams: sent on the SNS `https` key. */
export function chatbotNotification(p: AlertPayload): ChatbotNotification {
  const tag = p.alertType === 'test' ? '✅ *TEST*' : `${EMOJI[p.severity]} *${p.severity.toUpperCase()}*`;
  return {
    version: '1.0',
    source: 'custom',
    content: {
      textType: 'client-markdown',
      title: `${tag} ${headline(p)}`,
      description: [explanation(p), '', ...facts(p).map(([k, v]) => `• *${k}:* ${v}`)].join('\n'),
      nextSteps: steps(p),
      keywords: [p.severity, p.alertType, ...(p.expiryDate ? [p.expiryDate] : [])],
    },
    metadata: {
      // Every alert about one token lands in one thread.
      threadId: `scim-token-monitor-${p.tokenName ?? 'monitor'}`
        .replace(/[^A-Za-z0-9_.-]/g, '-')
        .slice(0, 100),
      summary: oneLine(headline(p).replace(/`/g, ''), 100),
      eventType: p.alertType,
      additionalContext: { account: p.account ?? 'unknown', region: p.region, evaluatedAt: p.evaluatedAt },
    },
  };
}

type Block = Record<string, unknown>;

/** A Slack incoming-webhook message (Block Kit), with a plain-text fallback for notifications. */
export function slackMessage(p: AlertPayload): { text: string; blocks: Block[] } {
  const icon = p.alertType === 'test' ? '✅' : { critical: '🚨', warning: '⚠️', info: 'ℹ️' }[p.severity];
  const plainHeadline = oneLine(headline(p).replace(/`/g, ''), 140);
  const mrkdwn = (text: string) => ({ type: 'mrkdwn', text: text.slice(0, 2900) });
  const stepList = steps(p, 'slack').map((s, i) => `${i + 1}. ${s}`);
  const blocks: Block[] = [
    {
      type: 'header',
      text: { type: 'plain_text', text: `${icon} ${plainHeadline}`.slice(0, 150), emoji: true },
    },
    { type: 'section', text: mrkdwn(explanation(p)) },
    {
      type: 'section',
      fields: facts(p)
        .slice(0, 10)
        .map(([k, v]) => mrkdwn(`*${k}*\n${v}`)),
    },
    ...(stepList.length > 0
      ? [{ type: 'section', text: mrkdwn(`*What to do*\n${stepList.join('\n')}`) }]
      : []),
    {
      type: 'actions',
      elements: [
        { type: 'button', text: { type: 'plain_text', text: 'Open IAM Identity Center' }, url: p.consoleUrl },
      ],
    },
    {
      type: 'context',
      elements: [
        mrkdwn(
          `scim-token-monitor · evaluated ${human(p.evaluatedAt)}${p.expiresAt ? ` · expiry ${human(p.expiresAt)}` : ''}`,
        ),
      ],
    },
  ];
  return { text: chatSafe(`[${p.severity.toUpperCase()}] ${plainHeadline}`, 200), blocks };
}

/**
 * A CloudWatch alarm that published to the topic directly. Never the monitor's: its own alarms act
 * through the alarm relay and arrive as `monitor-alarm` alerts. So it is shown as what it is, an
 * alarm from elsewhere, and never labelled as the monitor's.
 */
export function slackAlarmMessage(alarm: AlarmNotification): { text: string; blocks: Block[] } {
  const firing = alarm.newState === 'ALARM';
  const title = `${firing ? '⚠️' : 'ℹ️'} CloudWatch alarm ${oneLine(alarm.alarmName, 80)} is ${oneLine(alarm.newState, 20)} (not from the SCIM token monitor)`;
  return {
    text: chatSafe(title, 200),
    blocks: [
      { type: 'header', text: { type: 'plain_text', text: title.slice(0, 150), emoji: true } },
      { type: 'section', text: { type: 'mrkdwn', text: chatSafe(alarm.description || alarm.reason, 2900) } },
      {
        type: 'context',
        elements: [
          {
            type: 'mrkdwn',
            text: chatSafe(
              `Published to the alert topic by CloudWatch, not by the SCIM token monitor · ${alarm.reason} · ${alarm.region} · ${alarm.time}`,
              2900,
            ),
          },
        ],
      },
    ],
  };
}

/** Anything else on the topic, shown as escaped text. */
export function slackTextMessage(text: string): { text: string; blocks: Block[] } {
  return {
    text: chatSafe(text, 200),
    blocks: [{ type: 'section', text: { type: 'mrkdwn', text: chatSafe(text, 2900) } }],
  };
}
