/** SSM Parameter Store: the token registry (read-only; alert state lives in the ledger). */
import { GetParameterCommand, paginateGetParametersByPath, SSMClient } from '@aws-sdk/client-ssm';
import type { RegistryParameter } from '../core/registration';
import { CLIENT_CONFIG } from './client-config';

export const ssm = new SSMClient(CLIENT_CONFIG);

/** SSM's page size limit for GetParametersByPath. */
export const SSM_PAGE_SIZE = 10;

/**
 * Every parameter below `prefix`, recursively, one SSM page at a time (so a run over a large
 * registry holds one page, not the registry), values not decrypted: a SecureString's value stays
 * ciphertext, so the caller needs no KMS permission and never sees a secret.
 */
export async function* registryPages(prefix: string): AsyncGenerator<RegistryParameter[]> {
  const pages = paginateGetParametersByPath(
    { client: ssm, pageSize: SSM_PAGE_SIZE },
    { Path: prefix.replace(/\/+$/, '') || '/', Recursive: true, WithDecryption: false },
  );
  for await (const page of pages) {
    yield (page.Parameters ?? []).flatMap((p) =>
      p.Name
        ? [
            {
              name: p.Name,
              type: p.Type ?? 'unknown',
              value: p.Type === 'SecureString' ? '' : (p.Value ?? ''),
              version: p.Version ?? 0,
              ...(p.LastModifiedDate ? { lastModified: p.LastModifiedDate } : {}),
            },
          ]
        : [],
    );
  }
}

/**
 * The decrypted value of one SecureString: only for the opt-in token probe, whose role may
 * decrypt exactly the parameters that opted in. The value is returned, never logged.
 */
export async function readSecureValue(name: string): Promise<string> {
  const res = await ssm.send(new GetParameterCommand({ Name: name, WithDecryption: true }));
  return res.Parameter?.Value ?? '';
}
