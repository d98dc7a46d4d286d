/**
 * The rotation runbook, once, for every channel (email text, chat, Block Kit, the CLI): what to
 * click in IAM Identity Center, where the identity provider keeps the token, and how to record
 * the new one.
 */
import { quote as shellQuote } from 'shell-quote';
import { DEFAULTS } from './contract';
import { providerFor } from './providers';

export interface RotationContext {
  readonly consoleUrl: string;
  readonly tokenName: string | null;
  readonly region: string;
  readonly parameterName: string | null;
  readonly identityProvider: string | null;
  readonly tokenId: string | null;
  /** How the token is registered: a SecureString is updated in place, not re-registered. */
  readonly tokenSource: 'json' | 'date' | 'secure-string' | 'aws-health' | null;
  /** An expired token adds the recovery from the outage. */
  readonly alertType?: string;
}

export interface RotationStep {
  readonly text: string;
  /** A second line of guidance. */
  readonly more?: string;
  /** A URL to open. */
  readonly link?: string;
  /** A command to run, verbatim. */
  readonly command?: string;
}

/** The runbook context as an alert payload carries it, so every channel renders the same steps. */
export function rotationContext(payload: RotationContext): RotationContext {
  const { consoleUrl, tokenName, region, parameterName, identityProvider, tokenId, tokenSource, alertType } =
    payload;
  return {
    consoleUrl,
    tokenName,
    region,
    parameterName,
    identityProvider,
    tokenId,
    tokenSource,
    ...(alertType ? { alertType } : {}),
  };
}

/**
 * The steps. `quote` formats the values that come from a registration (token ID, parameter
 * name) for the channel: plain for email, escaped inline code for chat.
 */
export function rotationSteps(
  ctx: RotationContext,
  quote: (value: string) => string = (v) => v,
): RotationStep[] {
  const provider = providerFor(ctx.identityProvider ?? undefined);
  const old = ctx.tokenId ? ` (token ID ${quote(ctx.tokenId)})` : '';
  return [
    {
      text: 'Open IAM Identity Center',
      link: ctx.consoleUrl,
      more: 'Settings > Identity source > Actions > Manage provisioning > Access tokens.',
    },
    {
      text: 'Generate new token and copy it (it is shown only once).',
      more: 'At most two tokens can exist at once: if two already exist, delete the one that is not in use first.',
    },
    { text: `In ${provider.label}: ${provider.pasteSteps}` },
    {
      text: `Once provisioning works with the new token, delete the old token${old} in IAM Identity Center.`,
    },
    ctx.tokenSource === 'secure-string'
      ? {
          text: `Store the new token in the SecureString parameter ${quote(ctx.parameterName ?? '')}: its last-modified date becomes the new creation date.`,
        }
      : {
          text: 'Record the new token (its owner, notes, instance and identity provider are kept):',
          command: registerCommand(ctx),
          more: 'Add --verify to prove the new token works first. Without Node.js: edit the parameter in the Systems Manager console, changing only createdAt and tokenId.',
        },
    {
      text: `Confirm provisioning works again. In ${provider.label}: ${provider.confirmSteps}`,
      more: 'Then `npx scim-token-monitor status` shows the new expiry date for this token.',
    },
    ...(ctx.alertType === 'expired'
      ? [
          {
            text: `Recover from the outage. In ${provider.label}: ${provider.recoverySteps}`,
            more: 'Reconcile what changed while provisioning was stopped: people who left still have AWS access until their removal reaches IAM Identity Center (check them first), and people who joined have none.',
          },
        ]
      : []),
  ];
}

/**
 * One command, in the monitor's region, with today's date filled in by the CLI. Only an SSM name,
 * a prefix and a region go in, each quoted for the shell (a name SSM accepts needs no quotes, but
 * a message on the topic may not come from the monitor): no registration text reaches a line that
 * someone will copy and paste.
 */
function registerCommand(ctx: RotationContext): string {
  // An adopted token has no registry name yet: the operator picks one.
  const name = ctx.tokenName && ctx.tokenSource !== 'aws-health' ? shellWord(ctx.tokenName) : '<name>';
  const prefix =
    ctx.parameterName && ctx.tokenName && ctx.parameterName.endsWith(ctx.tokenName)
      ? ctx.parameterName.slice(0, -ctx.tokenName.length)
      : DEFAULTS.parameterPrefix;
  return `npx scim-token-monitor register ${name} --overwrite --created-at today --token-id <new token ID> --region ${shellQuote([ctx.region])}${prefix === DEFAULTS.parameterPrefix ? '' : ` --prefix ${shellWord(prefix)}`}`;
}

/**
 * One shell word for `value`, written so that no mail or chat client sees a host name in it: each
 * dot sits between quotes (`'www'.'okta-scim-rotation'.'com'`), which the shell joins back into
 * `www.okta-scim-rotation.com`. Copied and pasted, the command works; shown, nothing is a link.
 */
export function shellWord(value: string): string {
  if (!value.includes('.')) return shellQuote([value]);
  return value
    .split('.')
    .map((part) => `'${part.replace(/'/g, `'\\''`)}'`)
    .join('.');
}
