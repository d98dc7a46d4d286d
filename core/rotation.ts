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
  /** Kept in the new registration: who rotates it, the notes, the instance. */
  readonly owner?: string | null;
  readonly notes?: string | null;
  readonly instance?: { readonly instanceArn: string } | null;
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
    ...(payload.owner ? { owner: payload.owner } : {}),
    ...(payload.notes ? { notes: payload.notes } : {}),
    ...(payload.instance ? { instance: { instanceArn: payload.instance.instanceArn } } : {}),
  };
}

/**
 * The steps, in the order people do them: make the new token, put it to work, see that it works,
 * record it, and only then delete the old one. `quote` formats the values that come from a
 * registration (token ID, parameter name) for the channel: plain for email, escaped inline code
 * for chat.
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
    { text: `Confirm provisioning works with the new token. In ${provider.label}: ${provider.confirmSteps}` },
    ctx.tokenSource === 'secure-string'
      ? {
          text: `Store the new token in the SecureString parameter ${quote(ctx.parameterName ?? '')}: its last-modified date becomes the new creation date.`,
        }
      : {
          text: 'Record the new token (owner, notes, instance and identity provider are kept; today is filled in by the shell):',
          command: putParameterCommand(ctx),
          more: `Or, where the package is installed: \`${registerCommand(ctx)}\``,
        },
    {
      text: `Only now delete the old token${old} in IAM Identity Center: the next run of the monitor reads the new expiry.`,
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

/** Where a registration lives: its parameter name, or the prefix and a name to choose. */
function registryName(ctx: RotationContext): { readonly parameter: string; readonly prefix: string } {
  const prefix =
    ctx.parameterName && ctx.tokenName && ctx.parameterName.endsWith(ctx.tokenName)
      ? ctx.parameterName.slice(0, -ctx.tokenName.length)
      : DEFAULTS.parameterPrefix;
  // An adopted token has no registry name yet: the operator picks one.
  const named = ctx.tokenName && ctx.tokenSource !== 'aws-health' && ctx.parameterName;
  return { parameter: named ? (ctx.parameterName as string) : `${prefix}<name>`, prefix };
}

/** The region for a command: the monitor's, or a placeholder when it is not known (an offline preview). */
function regionWord(region: string): string {
  return region ? shellQuote([region]) : '<region>';
}

/**
 * The new registration with the AWS CLI, which needs nothing of this package: the JSON keeps what
 * describes the token's place, the shell fills in today's date. Every value is inside single
 * quotes (and each dot between quotes, see `shellWord`), so nothing in it runs or links.
 */
function putParameterCommand(ctx: RotationContext): string {
  const DATE = '\u0000date\u0000';
  // Plain ASCII, and no character that chat or mail reads as markup (`[`, `]`, `!`, `<`, `>`,
  // `&`): each as a JSON escape, so the line shows what it stores, no link or mention can form in
  // it, and the value stays exact. The placeholder is put back after.
  const NEW_ID = '\u0000id\u0000';
  const value = JSON.stringify({
    createdAt: DATE,
    tokenId: NEW_ID,
    ...(ctx.identityProvider ? { identityProvider: ctx.identityProvider } : {}),
    ...(ctx.owner ? { owner: ctx.owner } : {}),
    ...(ctx.instance ? { instanceArn: ctx.instance.instanceArn } : {}),
    ...(ctx.notes ? { notes: ctx.notes } : {}),
  })
    .replace(/[^\x20-\x7e]|[[\]!<>&]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace('\\u0000id\\u0000', '<new token ID>');
  // createdAt comes first: its marker is the first one, whatever the notes hold.
  const marker = '\\u0000date\\u0000';
  const before = value.slice(0, value.indexOf(marker));
  const after = value.slice(value.indexOf(marker) + marker.length);
  const name = registryName(ctx).parameter;
  return `aws ssm put-parameter --overwrite --type String --region ${regionWord(ctx.region)} --name ${name.includes('<name>') ? name : shellWord(name)} --value ${shellWord(before)}"$(date -u +%F)"${shellWord(after)}`;
}

/**
 * The same with the package's CLI (`npx`), where it is installed. Only an SSM name, a prefix and a
 * region go in, each quoted for the shell: no registration text reaches a line that someone will
 * copy and paste.
 */
function registerCommand(ctx: RotationContext): string {
  const name = ctx.tokenName && ctx.tokenSource !== 'aws-health' ? shellWord(ctx.tokenName) : '<name>';
  const { prefix } = registryName(ctx);
  return `npx scim-token-monitor register ${name} --overwrite --created-at today --token-id <new token ID> --region ${regionWord(ctx.region)}${prefix === DEFAULTS.parameterPrefix ? '' : ` --prefix ${shellWord(prefix)}`}`;
}

/**
 * One shell word for `value` (quoted by shell-quote), written so that no mail or chat client sees
 * a host name, a URL or an address in it: each `.`, `@` and the `:` of `://` is quoted on its own
 * (`www'.'okta-scim-rotation'.'com`), which the shell joins back into the value. Pasted, the
 * command works; shown, nothing is a link.
 */
export function shellWord(value: string): string {
  return value
    .split(/(\.|:(?=\/\/)|@)/)
    .map((part, i) => (i % 2 === 1 ? `'${part}'` : part === '' ? '' : shellQuote([part])))
    .join('');
}
