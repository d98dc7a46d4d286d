/**
 * Provisioning observed, as the stack configures it: the function may read Event history
 * (`cloudtrail:LookupEvents`, which has no resource-level permission) only while the feature is
 * on; the opt-in alerts reach the function from context or props, and bad values fail synth with
 * a one-line reason each.
 */
import { Match } from 'aws-cdk-lib/assertions';
import { synthStack } from '../support/stack';

const EMAIL = { alertEmails: 'oncall@example.com' };
const lookups = (context: Record<string, unknown>) =>
  JSON.stringify(synthStack({ ...EMAIL, ...context }).template.toJSON()).includes('cloudtrail:LookupEvents');

it('grants LookupEvents and tells the function by default; neither with observeProvisioning=false', () => {
  expect(lookups({})).toBe(true);
  expect(lookups({ observeProvisioning: 'false' })).toBe(false);
  synthStack({ ...EMAIL, observeProvisioning: 'false' }).template.hasResourceProperties(
    'AWS::Lambda::Function',
    {
      Environment: { Variables: Match.objectLike({ OBSERVE_PROVISIONING: 'false' }) },
    },
  );
});

it('passes the opt-in alerts to the function', () => {
  const { template } = synthStack({
    ...EMAIL,
    provisioningFailuresAbove: '10',
    provisioningSilentHours: '72',
  });
  template.hasResourceProperties('AWS::Lambda::Function', {
    Environment: {
      Variables: Match.objectLike({
        OBSERVE_PROVISIONING: 'true',
        PROVISIONING_FAILURES_ABOVE: '10',
        PROVISIONING_SILENT_HOURS: '72',
      }),
    },
  });
});

it('refuses what cannot work, each problem on its own line', () => {
  expect(() => synthStack({ ...EMAIL, provisioningFailuresAbove: 'ten' })).toThrow(
    'provisioningFailuresAbove: "ten" is not a whole number.',
  );
  expect(() => synthStack({ ...EMAIL, provisioningSilentHours: '0' })).toThrow(
    'provisioningSilentHours must be a whole number of hours from 1 to 2160 (90 days of Event history), got 0.',
  );
  expect(() => synthStack({ ...EMAIL, observeProvisioning: 'false', provisioningSilentHours: '24' })).toThrow(
    'provisioningFailuresAbove and provisioningSilentHours need provisioning observed: drop observeProvisioning=false.',
  );
});
