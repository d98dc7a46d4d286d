/**
 * AWS Health notices from several accounts (an organization whose accounts own IAM Identity
 * Center instances, forwarded to one monitor), through the synthesized bundle: a notice is
 * matched within its account, and two notices at once both land in the adopted-token index.
 */
import { invokeBundle } from '../../tools/bundle';
import healthEvent from '../fixtures/health-scim-expiry.json';
import { MONITOR_ENV } from '../support/env';
import { aws, bundle, env, useMonitor } from '../support/monitor-bundle';

const prefix = MONITOR_ENV.PARAMETER_PREFIX;
const OTHER = '210987654321';
const THIRD = '333333333333';

useMonitor({ registry: 'empty' });

/** The fixture's notice, as the account that owns the instance received it. */
function noticeFrom(account: string, expiry = 'Fri Jan 15 10:30:00 UTC 2027') {
  const description = healthEvent.detail.eventDescription[0]?.latestDescription.replace(
    'Fri Jan 15 10:30:00 UTC 2027',
    expiry,
  );
  return {
    ...healthEvent,
    account,
    detail: {
      ...healthEvent.detail,
      eventArn: `${healthEvent.detail.eventArn}-${account}-${expiry.replace(/\W/g, '')}`,
      affectedAccount: account,
      eventDescription: [{ language: 'en_US', latestDescription: description }],
    },
  };
}

async function adoptedIndex(): Promise<Record<string, { account?: string }>> {
  const item = (await aws.dynamodb.items()).find((i) => i.pk?.S === 'state#adopted');
  return JSON.parse(String((item?.state as { S?: string } | undefined)?.S ?? '{}'));
}

it("adopts another account's token that expires the same day as a registered one of a different account", async () => {
  // The registered token belongs to account OTHER; the same day, account THIRD's token expires too.
  aws.put(`${prefix}okta-prod`, `{"expiresAt":"2027-01-15T10:30:00Z","account":"${OTHER}"}`);
  const { results } = await invokeBundle(bundle, [noticeFrom(OTHER), noticeFrom(THIRD)], env);
  expect(results.map((r) => r.result?.outcome)).toEqual(['confirmed', 'unregistered']);
  expect(aws.published.map((p) => p.subject)).toEqual([
    '[WARNING] 123456789012: Unregistered SCIM token expires in 89 days (2027-01-15 10:30 UTC)',
  ]);
  expect(Object.keys(await adoptedIndex())).toEqual([`aws-health@${THIRD}@2027-01-15T10:30Z`]);
});

it('keeps both of two notices that arrive at once in the adopted-token index', async () => {
  const { results } = await invokeBundle(
    bundle,
    [noticeFrom(OTHER), noticeFrom(THIRD, 'Sat Jan 16 10:30:00 UTC 2027')],
    env,
    true,
  );
  expect(results.map((r) => r.result?.outcome)).toEqual(['unregistered', 'unregistered']);
  expect(Object.keys(await adoptedIndex()).sort()).toEqual([
    `aws-health@${OTHER}@2027-01-15T10:30Z`,
    `aws-health@${THIRD}@2027-01-16T10:30Z`,
  ]);
});
