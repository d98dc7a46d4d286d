/**
 * The synthesized monitor bundle against the stand-in, with the registry the e2e tests share:
 * a JSON token near its 60-day alert, a quiet one, an invalid one and a SecureString.
 */
import { synthesizedBundle } from '../../tools/bundle';
import { FakeAws } from '../../tools/fake-aws';
import { MONITOR_ENV } from './env';

const prefix = MONITOR_ENV.REGISTRY_PREFIX;

/** Synthesizes the app, starts the stand-in, and gives the function's environment pointing at it. */
export async function startMonitor(): Promise<{ bundle: string; aws: FakeAws; env: Record<string, string> }> {
  const bundle = synthesizedBundle();
  const aws = new FakeAws();
  const env = { ...MONITOR_ENV, POWERTOOLS_LOG_LEVEL: 'INFO', AWS_ENDPOINT_URL: await aws.start() };
  return { bundle, aws, env };
}

/** An empty ledger, no records, one IAM Identity Center instance, and the shared registry. */
export async function seedRegistry(aws: FakeAws): Promise<void> {
  await aws.dynamodb.reset();
  aws.parameters.clear();
  aws.resetRecords();
  aws.instances = [
    { InstanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', IdentityStoreId: 'd-1234567890' },
  ];
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-01-15","tokenId":"tok-okta","identityProvider":"okta"}');
  aws.put(`${prefix}entra`, '{"createdAt":"2026-06-01","identityProvider":"entra-id"}');
  aws.put(`${prefix}broken`, '{"createdAt":"2026-02-30"}');
  aws.put(`${prefix}prod/vault`, 'the-secret-token-value', 'SecureString', new Date('2026-01-20T10:00:00Z'));
}
