/** The shipped CLI shows where each registration came from: the registry, or adopted from AWS Health. */
import { bin } from '../support/bin';
import { deploy } from '../support/deployment';
import { aws, env, useStandIns } from '../support/stand-ins';

useStandIns();

it('status lists a token adopted from AWS Health beside the registered ones, marked as such', async () => {
  aws.put('/scim-token-monitor/tokens/okta-prod', '{"createdAt":"2026-06-01","identityProvider":"okta"}');
  deploy(aws);
  await aws.dynamodb.putState(
    'adopted',
    JSON.stringify({
      'aws-health@2027-01-15T10:30Z': {
        expiresAt: '2027-01-15T10:30:00.000Z',
        eventArn: 'arn:aws:health:eu-west-1::event/IAMIDENTITYCENTER/X/X_1',
        account: '123456789012',
        region: 'eu-west-1',
        adoptedAt: '2026-10-17T09:00:05.000Z',
      },
    }),
  );
  // Its 60-day alert went out: nothing is due now.
  await aws.dynamodb.putState(
    'token/aws-health@2027-01-15T10:30Z',
    JSON.stringify({ expiresAt: '2027-01-15T10:30:00.000Z', alertedThresholds: [60], expiredAlerted: false }),
  );
  const table = await bin(['status', '--at', '2026-12-01', '--wide'], { env });
  expect(table.code).toBe(0);
  expect(table.stdout).toMatch(
    /aws-health@2027-01-15T10:30Z\s+-\s+-\s+2026-01-15\s+2027-01-15\s+45\s.*adopted/,
  );
  expect(table.stdout).toMatch(/okta-prod\s+Okta/);
  const json = JSON.parse((await bin(['status', '--at', '2026-12-01', '--json'], { env })).stdout);
  expect(json.tokens.map((t: { name: string; source: string }) => [t.name, t.source])).toEqual([
    ['aws-health@2027-01-15T10:30Z', 'aws-health'],
    ['okta-prod', 'registry'],
  ]);
});
