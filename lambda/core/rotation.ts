/**
 * The rotation runbook, once, for every channel (email text, chat, Block Kit, the CLI): what to
 * click in IAM Identity Center, where the identity provider keeps the token, and how to record
 * the new one.
 */
import { providerFor } from './providers';

export interface RotationContext {
  readonly consoleUrl: string;
  readonly parameterName: string | null;
  readonly identityProvider: string | null;
  readonly tokenId: string | null;
  /** How the token is registered: a SecureString is updated in place, not re-registered. */
  readonly tokenSource: 'json' | 'date' | 'secure-string' | null;
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
  const { consoleUrl, parameterName, identityProvider, tokenId, tokenSource } = payload;
  return { consoleUrl, parameterName, identityProvider, tokenId, tokenSource };
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
  // Only the canonical provider ID goes into the command: registration text never reaches a
  // shell line that someone will copy and paste.
  const providerField = provider.id === 'other' ? '' : `,"identityProvider":"${provider.id}"`;
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
          text: 'Record the new token:',
          command: `aws ssm put-parameter --overwrite --type String --name ${ctx.parameterName} --value '{"createdAt":"<today, YYYY-MM-DD>","tokenId":"<new token ID>"${providerField}}'`,
        },
  ];
}
