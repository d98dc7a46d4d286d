/**
 * The README shows on-call staff what the 30-day email says: that text must be what the renderer
 * produces for that token, word for word.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderAlert } from '../../lambda/core/messages';
import type { Token } from '../../lambda/core/registration';

const prefix = '/scim-token-monitor/tokens/';
const token: Token = {
  name: 'okta-prod',
  parameterName: `${prefix}okta-prod`,
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

it("the README's sample 30-day email is the renderer's output", () => {
  const { subject, text } = renderAlert({
    alertType: 'expiry-warning',
    severity: 'warning',
    evaluatedAt: new Date('2026-12-16T08:00:00Z'),
    tokenName: token.name,
    parameterName: token.parameterName,
    parameterVersion: 1,
    token,
    daysRemaining: 30,
    threshold: 30,
    next: { threshold: 7, date: new Date('2027-01-08T00:00:00Z') },
    instance: {
      instanceArn: 'arn:aws:sso:::instance/ssoins-72230b1c2d3e4f5a',
      identityStoreId: 'd-9067a1b2c3',
    },
    consoleUrl: 'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
    account: '123456789012',
    environmentName: 'prod',
    region: 'eu-west-1',
    registryPrefix: prefix,
  });
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const sample = /What the 30-day email says:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(sample).toBe(`Subject: ${subject}\n\n${text}\n`);
});
