/** IAM Identity Center instances, as `sso-admin:ListInstances` describes them, and console links. */

export interface Instance {
  readonly instanceArn: string;
  readonly identityStoreId?: string;
  readonly name?: string;
}

const CONSOLE_HOST: Record<string, string> = {
  aws: 'console.aws.amazon.com',
  'aws-cn': 'console.amazonaws.cn',
  'aws-us-gov': 'console.amazonaws-us-gov.com',
};

/**
 * The IAM Identity Center console in the instance's region. The page's own deep links (hash
 * routes) are not a documented interface, so alerts link the console home and spell out the
 * navigation path from there.
 */
export function consoleUrl(region: string, instance?: Instance): string {
  const partition = instance?.instanceArn.split(':')[1] ?? (region.startsWith('cn-') ? 'aws-cn' : 'aws');
  const host = CONSOLE_HOST[partition] ?? CONSOLE_HOST.aws;
  return region ? `https://${host}/singlesignon/home?region=${region}` : `https://${host}/singlesignon/home`;
}

/**
 * The instance an alert is about: the one the registration names, else the only one there is.
 * `mismatch` is true when the registration names an instance that is not in the (known) list.
 */
export function matchInstance(
  instanceArn: string | undefined,
  instances: readonly Instance[] | undefined,
): { readonly instance?: Instance; readonly mismatch: boolean } {
  if (instances === undefined) return { mismatch: false };
  if (instanceArn !== undefined) {
    const found = instances.find((i) => i.instanceArn === instanceArn);
    return found ? { instance: found, mismatch: false } : { mismatch: true };
  }
  return instances.length === 1
    ? { instance: instances[0] as Instance, mismatch: false }
    : { mismatch: false };
}
