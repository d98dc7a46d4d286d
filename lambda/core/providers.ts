/** Where each identity provider keeps the SCIM token, so an alert can say exactly where to paste it. */

export type ProviderId = 'okta' | 'entra-id' | 'google' | 'onelogin' | 'jumpcloud' | 'secureauth' | 'other';

export interface Provider {
  readonly id: ProviderId;
  readonly label: string;
  /** Where to paste the new token, then how to test and save. */
  readonly pasteSteps: string;
}

const PROVIDERS: Record<ProviderId, Provider> = {
  okta: {
    id: 'okta',
    label: 'Okta',
    pasteSteps:
      'Admin console > Applications > the AWS IAM Identity Center app > Provisioning > Integration > Edit. Paste it into API Token, click Test API Credentials, then Save.',
  },
  'entra-id': {
    id: 'entra-id',
    label: 'Microsoft Entra ID',
    pasteSteps:
      'Entra admin center > Enterprise applications > the AWS IAM Identity Center app > Provisioning > Admin Credentials. Paste it into Secret Token, click Test Connection, then Save.',
  },
  google: {
    id: 'google',
    label: 'Google Workspace',
    pasteSteps:
      'Admin console > Apps > Web and mobile apps > the AWS IAM Identity Center app > Auto-provisioning. Paste it into Access token (keep the SCIM endpoint URL), then Save and check that provisioning shows no errors.',
  },
  onelogin: {
    id: 'onelogin',
    label: 'OneLogin',
    pasteSteps:
      'Admin portal > Applications > the AWS IAM Identity Center app > Configuration. Paste it into SCIM Bearer Token, Save, then check the API Connection status is Enabled.',
  },
  jumpcloud: {
    id: 'jumpcloud',
    label: 'JumpCloud',
    pasteSteps:
      'Admin portal > SSO Applications > the AWS IAM Identity Center app > Identity Management. Paste it into Token Key, click Test Connection, then Save.',
  },
  secureauth: {
    id: 'secureauth',
    label: 'SecureAuth',
    pasteSteps:
      'SCIM Servers > the AWS server > Access Token. Paste it there, test the connection, then Save.',
  },
  other: {
    id: 'other',
    label: 'your identity provider',
    pasteSteps:
      'The SCIM provisioning settings of the AWS IAM Identity Center app: paste it into the bearer/API token field, test the connection, then save.',
  },
};

const ALIASES: Record<string, ProviderId> = {
  'entra-id': 'entra-id',
  entra: 'entra-id',
  entraid: 'entra-id',
  'azure-ad': 'entra-id',
  azuread: 'entra-id',
  azure: 'entra-id',
  microsoft: 'entra-id',
  'google-workspace': 'google',
  gsuite: 'google',
};

/** The provider for a registration's free-text `identityProvider` (unknown: generic steps). */
export function providerFor(identityProvider: string | undefined): Provider {
  const key = (identityProvider ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, '-');
  const id = ALIASES[key] ?? (key in PROVIDERS ? (key as ProviderId) : 'other');
  return PROVIDERS[id];
}
