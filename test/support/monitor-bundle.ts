/**
 * The monitor function as it ships (its prebuilt bundle) against the stand-in, with the registry the e2e tests share:
 * a JSON token near its 60-day alert, a quiet one, an invalid one and a SecureString. Call
 * `useMonitor()` at the top of a test file: `bundle`, `aws` and `env` are live bindings.
 */
import { functionBundle } from '../../tools/bundle';
import { FakeAws } from '../../tools/fake-aws';
import { MONITOR_ENV } from './env';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;

/** The bundled monitor function's index.js. */
export let bundle: string;
/** The AWS stand-in it talks to. */
export let aws: FakeAws;
/** The function's environment, pointing at the stand-in. */
export let env: Record<string, string>;

/**
 * Finds the bundle and starts the stand-in once for the file; before each test,
 * `seedRegistry` (the shared registry) unless `{ registry: 'empty' }`, then `emptyAccount`.
 */
export function useMonitor(opts: { registry?: 'shared' | 'empty' } = {}): void {
  beforeAll(async () => {
    // SCIM_BUNDLE_UNDER_TEST runs these tests against another build (an earlier commit's bundle),
    // to see a regression test fail on the code it guards against.
    bundle = process.env.SCIM_BUNDLE_UNDER_TEST ?? functionBundle();
    aws = new FakeAws();
    env = { ...MONITOR_ENV, POWERTOOLS_LOG_LEVEL: 'INFO', AWS_ENDPOINT_URL: await aws.start() };
  });
  afterAll(() => aws.stop());
  beforeEach(() => (opts.registry === 'empty' ? emptyAccount(aws) : seedRegistry(aws)));
}

/** An empty ledger and registry, no records, one IAM Identity Center instance, on-call subscribed. */
export async function emptyAccount(aws: FakeAws): Promise<void> {
  await aws.dynamodb.reset();
  aws.parameters.clear();
  aws.resetRecords();
  aws.ops.clear();
  aws.ops.subscriptions.set(MONITOR_ENV.ALERT_TOPIC_ARN, [
    { protocol: 'email', endpoint: 'oncall@example.com', confirmed: true },
  ]);
  aws.instances = [
    { InstanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111', IdentityStoreId: 'd-1234567890' },
  ];
}

/** `emptyAccount`, and the shared registry. */
export async function seedRegistry(aws: FakeAws): Promise<void> {
  await emptyAccount(aws);
  aws.put(`${prefix}okta-prod`, '{"createdAt":"2026-01-15","tokenId":"tok-okta","identityProvider":"okta"}');
  aws.put(`${prefix}entra`, '{"createdAt":"2026-06-01","identityProvider":"entra-id"}');
  aws.put(`${prefix}broken`, '{"createdAt":"2026-02-30"}');
  aws.put(`${prefix}prod/vault`, 'the-secret-token-value', 'SecureString', new Date('2026-01-20T10:00:00Z'));
}
