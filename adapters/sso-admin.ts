/** IAM Identity Center (SSO Admin): which instances exist here, for alert links and registration checks. */
import { paginateListInstances, SSOAdminClient } from '@aws-sdk/client-sso-admin';
import type { Instance } from '../core/instances';
import { CLIENT_CONFIG } from './client-config';

export const ssoAdmin = new SSOAdminClient(CLIENT_CONFIG);

export async function listInstances(): Promise<Instance[]> {
  const out: Instance[] = [];
  for await (const page of paginateListInstances({ client: ssoAdmin }, {})) {
    for (const i of page.Instances ?? []) {
      if (!i.InstanceArn) continue;
      out.push({
        instanceArn: i.InstanceArn,
        ...(i.IdentityStoreId ? { identityStoreId: i.IdentityStoreId } : {}),
        ...(i.Name ? { name: i.Name } : {}),
      });
    }
  }
  return out;
}
