/** Every failure the CLI reports: one line on stderr and an exit code that scripts can rely on. */

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
  message?: string;
  $metadata?: { httpStatusCode?: number };
}

/** One line explaining `error`, and the exit code. */
export function explain(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UsageError) return { message: error.message, exitCode: EXIT.usage };
  if (error instanceof CliError) return { message: error.message, exitCode: EXIT.failed };
  const e = (error ?? {}) as AwsLikeError;
  const message = (e.message ?? String(error)).split('\n')[0] ?? '';
  if (e.name === 'CredentialsProviderError' || /Could not load credentials|credential/i.test(message)) {
    return {
      message:
        'No AWS credentials found: set AWS_PROFILE (or --profile) or run `aws sso login`; to work offline, pass --registry <file.json>.',
      exitCode: EXIT.failed,
    };
  }
  if (/Region is missing/i.test(message)) {
    return {
      message: 'No AWS region: set AWS_REGION or pass --region (the region where IAM Identity Center lives).',
      exitCode: EXIT.failed,
    };
  }
  if (
    e.name === 'AccessDeniedException' ||
    e.name === 'AccessDenied' ||
    e.$metadata?.httpStatusCode === 403
  ) {
    return { message: `Access denied by AWS: ${message}`, exitCode: EXIT.failed };
  }
  if (e.name === 'ExpiredTokenException' || e.name === 'ExpiredToken') {
    return {
      message: 'Your AWS session has expired: sign in again (for example `aws sso login`).',
      exitCode: EXIT.failed,
    };
  }
  return { message: `${e.name && e.name !== 'Error' ? `${e.name}: ` : ''}${message}`, exitCode: EXIT.failed };
}
