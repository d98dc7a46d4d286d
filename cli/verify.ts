/**
 * `register --verify` and `--store-token`: the new token is read from standard input only after
 * the endpoint passed the pin, checked against IAM Identity Center, and stored under a chosen key.
 */
import type { ScimEndpoint } from '../core/scim-endpoint';
import { CliError, UsageError } from './errors';
import type { Output } from './output';

/** Reads the token from standard input and asks the SCIM endpoint whether it accepts it. */
export async function verifyToken(
  ctx: { readonly readSecret: (prompt: string) => Promise<string>; readonly out: Output },
  scimEndpoint: string | undefined,
): Promise<string> {
  if (!scimEndpoint) {
    throw new UsageError(
      '--verify needs --scim-endpoint <url>: IAM Identity Center > Settings > Identity source > Automatic provisioning shows it.',
    );
  }
  const { probeScimToken, parseScimEndpoint } = await import('../adapters/scim');
  let endpoint: ScimEndpoint;
  try {
    // Checked before the token is read: it is never typed in for an endpoint it cannot go to.
    endpoint = parseScimEndpoint(scimEndpoint);
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const token = await ctx.readSecret('Paste the new SCIM access token (it is not shown), then Enter: ');
  if (token === '') throw new UsageError('No token on standard input: nothing was registered.');
  const result = await probeScimToken(endpoint, token);
  if (result.outcome !== 'accepted') throw new CliError(`${result.message} Nothing was registered.`);
  ctx.out.line(result.message);
  return token;
}
