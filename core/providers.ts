/** Where each identity provider keeps the SCIM token, so an alert can say exactly where to paste it. */

export type ProviderId = 'okta' | 'entra-id' | 'google' | 'onelogin' | 'jumpcloud' | 'secureauth' | 'other';

export interface Provider {
  readonly id: ProviderId;
  readonly label: string;
  /** Where to paste the new token, then how to test and save. */
  readonly pasteSteps: string;
  /** How to see that provisioning works again with the new token. */
  readonly confirmSteps: string;
  /** After an outage (the token expired): what the provider left undone and how to redo it. */
  readonly recoverySteps: string;
}

const SEE_A_USER = 'then check in IAM Identity Center > Users that the change arrived within a few minutes.';

const PROVIDERS: Record<ProviderId, Provider> = {
  okta: {
    id: 'okta',
    label: 'Okta',
    pasteSteps:
      'Admin console > Applications > the AWS IAM Identity Center app > Provisioning > Integration > Edit. Paste it into API Token, click Test API Credentials, then Save.',
    confirmSteps:
      'Assignments: re-push one test user (or Push Groups > Push Now for one group); Dashboard > Tasks shows no failed provisioning task; ' +
      SEE_A_USER,
    recoverySteps:
      'Dashboard > Tasks: retry every failed provisioning task (select them, Retry Selected), then Push Groups > Push Now for each pushed group.',
  },
  'entra-id': {
    id: 'entra-id',
    label: 'Microsoft Entra ID',
    pasteSteps:
      'Entra admin center > Enterprise applications > the AWS IAM Identity Center app > Provisioning > Admin Credentials. Paste it into Secret Token, click Test Connection, then Save.',
    confirmSteps:
      'Provisioning > Provision on demand with one test user; the Provisioning logs show Success; ' +
      SEE_A_USER,
    recoverySteps:
      "If the app's provisioning is in quarantine, Provisioning > Restart provisioning (clears the quarantine and runs a full cycle), then watch Provisioning logs until a cycle completes without errors.",
  },
  google: {
    id: 'google',
    label: 'Google Workspace',
    pasteSteps:
      'Admin console > Apps > Web and mobile apps > the AWS IAM Identity Center app > Auto-provisioning. Paste it into Access token (keep the SCIM endpoint URL), then Save and check that provisioning shows no errors.',
    confirmSteps: `Auto-provisioning shows Active with no error; change one test user, ${SEE_A_USER}`,
    recoverySteps:
      'If auto-provisioning stopped, turn it off and on again to resynchronize, and check its status has no error.',
  },
  onelogin: {
    id: 'onelogin',
    label: 'OneLogin',
    pasteSteps:
      'Admin portal > Applications > the AWS IAM Identity Center app > Configuration. Paste it into SCIM Bearer Token, Save, then check the API Connection status is Enabled.',
    confirmSteps: `Users > one test user > Applications shows the app Provisioned; ${SEE_A_USER}`,
    recoverySteps:
      'Applications > the app > Users: approve or retry every pending or failed provisioning entry.',
  },
  jumpcloud: {
    id: 'jumpcloud',
    label: 'JumpCloud',
    pasteSteps:
      'Admin portal > SSO Applications > the AWS IAM Identity Center app > Identity Management. Paste it into Token Key, click Test Connection, then Save.',
    confirmSteps: `Test Connection succeeds; add a test user to a bound group, ${SEE_A_USER}`,
    recoverySteps:
      "Save the app again to trigger a full sync, then check the SSO application's provisioning events for errors.",
  },
  secureauth: {
    id: 'secureauth',
    label: 'SecureAuth',
    pasteSteps:
      'SCIM Servers > the AWS server > Access Token. Paste it there, test the connection, then Save.',
    confirmSteps: `Run a sync of the AWS SCIM server, ${SEE_A_USER}`,
    recoverySteps: 'Run a full sync of the AWS SCIM server and check its log for errors.',
  },
  other: {
    id: 'other',
    label: 'your identity provider',
    pasteSteps:
      'The SCIM provisioning settings of the AWS IAM Identity Center app: paste it into the bearer/API token field, test the connection, then save.',
    confirmSteps: `Change one test user (or add one to a provisioned group) in your identity provider, ${SEE_A_USER}`,
    recoverySteps:
      'Run a full provisioning cycle or sync in your identity provider and retry whatever failed while the token was expired.',
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
