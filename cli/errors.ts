/**
 * Every failure the CLI reports: one line on stderr and an exit code that scripts can rely on.
 * AWS failures name the AWS error code and what to do about it; stack traces only with --debug.
 */

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

/** Bad input from the person at the keyboard: exit 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** A failure the user can act on, with a message already worded for them: exit 1. */
export class CliError extends Error {
  override readonly name = 'CliError';
}

interface AwsLikeError {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  cause?: { code?: string };
}

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'TimeoutError',
]);

const ACCESS_DENIED = new Set([
  'AccessDeniedException',
  'AccessDenied',
  'AuthorizationError',
  'AuthorizationErrorException',
  'UnauthorizedOperation',
]);

/**
 * The action and resource an IAM denial names: AWS words it as "User: <arn> is not authorized to
 * perform: <action> on resource: <arn> [because ...]".
 */
export function deniedAction(message: string): { action: string; resource?: string } | undefined {
  const m =
    /not authorized to perform:?\s+([\w-]+:[\w*]+)(?:\s+on resource:?\s+(\S+?))?(?:\s+because\b|[\s.]*$)/i.exec(
      message,
    );
  if (!m?.[1]) return undefined;
  return { action: m[1], ...(m[2] ? { resource: m[2] } : {}) };
}

/** One line explaining `error`, and the exit code. */
export function explain(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UsageError) return { message: error.message, exitCode: EXIT.usage };
  if (error instanceof CliError) return { message: error.message, exitCode: EXIT.failed };
  const e = (error ?? {}) as AwsLikeError;
  const message = (e.message ?? String(error)).split('\n')[0] ?? '';
  const name = e.name && e.name !== 'Error' ? e.name : (e.code ?? '');
  const failed = (text: string) => ({ message: text, exitCode: EXIT.failed });
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return failed(
      'CredentialsProviderError: no AWS credentials found. Set AWS_PROFILE (or pass --profile) to a profile in ~/.aws/config, sign in with `aws sso login`, or set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY; to work offline, pass --registry <file.json>.',
    );
  }
  if (/Region is missing/i.test(message)) {
    return failed(
      'No AWS region: set AWS_REGION or pass --region (the region where IAM Identity Center and the monitor live).',
    );
  }
  if (ACCESS_DENIED.has(name) || e.$metadata?.httpStatusCode === 403) {
    const denied = deniedAction(message);
    return failed(
      denied
        ? `${name || 'AccessDenied'}: your AWS identity may not call ${denied.action}${denied.resource ? ` on ${denied.resource}` : ''}. Allow it (docs/iam-policies.md has the CLI operator's policy) or use a role that has it.`
        : `${name || 'AccessDenied'}: ${message} Check the CLI operator's policy in docs/iam-policies.md.`,
    );
  }
  if (name === 'ExpiredTokenException' || name === 'ExpiredToken' || name === 'TokenRefreshRequired') {
    return failed(`${name}: your AWS session has expired. Sign in again (for example \`aws sso login\`).`);
  }
  if (name === 'UnrecognizedClientException' || name === 'InvalidClientTokenId') {
    return failed(
      `${name}: AWS does not recognise these credentials. Check AWS_PROFILE and AWS_ACCESS_KEY_ID, or sign in again.`,
    );
  }
  const network = e.code ?? e.cause?.code ?? (NETWORK_CODES.has(name) ? name : undefined);
  if (network && NETWORK_CODES.has(network)) {
    return failed(
      `${network}: could not reach AWS (${message}). Check your network, proxy and AWS_ENDPOINT_URL, then try again.`,
    );
  }
  return failed(`${name ? `${name}: ` : ''}${message}`);
}
