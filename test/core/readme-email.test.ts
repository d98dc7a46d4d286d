/**
 * The README shows on-call staff what the 30-day email says: that text must be what the renderer
 * produces for that token, word for word.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { renderAlert } from '../../core/messages';
import { OKTA_PROD, PARAMETER_PREFIX } from '../support/token';

it("the README's sample 30-day email is the renderer's output", () => {
  const { subject, text } = renderAlert({
    alertType: 'expiry-warning',
    severity: 'warning',
    evaluatedAt: new Date('2026-12-16T08:00:00Z'),
    tokenName: OKTA_PROD.name,
    parameterName: OKTA_PROD.parameterName,
    parameterVersion: 1,
    token: OKTA_PROD,
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
    registryPrefix: PARAMETER_PREFIX,
  });
  const readme = readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const sample = /What the 30-day email says:\n\n```text\n([\s\S]*?)```/.exec(readme)?.[1];
  expect(sample).toBe(`Subject: ${subject}\n\n${text}\n`);
});
