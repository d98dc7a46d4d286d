import type { Token } from '../../core/registration';

/** The registry path the tests use (the default). */
export const PARAMETER_PREFIX = '/scim-token-monitor/tokens/';

/** The README's example token: okta-prod, created 2026-01-15, expiring a year later. */
export const OKTA_PROD: Token = {
  name: 'okta-prod',
  parameterName: `${PARAMETER_PREFIX}okta-prod`,
  version: 1,
  revision: '1',
  source: 'json',
  createdAt: new Date('2026-01-15T00:00:00Z'),
  expiresAt: new Date('2027-01-15T00:00:00Z'),
  expiryExplicit: false,
  validityDays: 365,
  tokenId: '3f9a-1c2d',
  identityProvider: 'okta',
  owner: 'platform@example.com',
  notes: 'Used by the Okta prod tenant',
};
