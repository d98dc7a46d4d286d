/**
 * The local AWS stand-in and a local SCIM endpoint, started once per test file and reset before
 * each test. Call `useStandIns()` at the top of the file; `aws`, `env` and `scim` are live bindings.
 */
import { FakeAws } from '../../tools/fake-aws';
import { awsEnv } from './bin';
import { type ScimStub, startScimStub } from './scim-stub';

/** The one token the SCIM stand-in accepts. */
export const GOOD_TOKEN = 'good-token-1234567890';

export let aws: FakeAws;
/** AWS credentials, region and endpoint for a child process. */
export let env: Record<string, string>;
export let scim: ScimStub;

export function useStandIns(): void {
  beforeAll(async () => {
    aws = new FakeAws();
    scim = await startScimStub(GOOD_TOKEN);
    // Child processes reach the SCIM stand-in through IAM Identity Center's own host name.
    env = { ...awsEnv(await aws.start()), ...scim.env };
  });
  afterAll(async () => {
    await aws.stop();
    await scim.close();
  });
  beforeEach(async () => {
    await aws.dynamodb.reset();
    aws.parameters.clear();
    aws.resetRecords();
    aws.fault = undefined;
    aws.emptyPagesFirst = 0;
    aws.ops.clear();
    aws.instances = [];
    scim.seen.length = 0;
    scim.hosts.length = 0;
    scim.answer = undefined;
  });
}
