/**
 * The CLI knows what was deployed: the settings parameter a synthesized monitor publishes (its
 * thresholds, registry prefix, ledger, topic), put into the stand-in as CloudFormation would
 * create it, and read by the shipped bin with no flags, for the app's stack and for the construct
 * inside a stack of another name.
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { ScimTokenExpiryMonitor } from '../../lib/scim-token-expiry-monitor';
import { FAKE_LEDGER_TABLE } from '../../tools/fake-aws';
import { bin } from '../support/bin';
import { resolveTemplateValue } from '../support/resolve';
import { aws, env, useStandIns } from '../support/stand-ins';

useStandIns();

/** Synthesizes the construct in `stackName` and puts its settings parameter where CloudFormation would. */
function deployConstruct(
  stackName: string,
  id: string,
  props: ConstructorParameters<typeof ScimTokenExpiryMonitor>[2],
) {
  const stack = new Stack(new App(), stackName, { env: { account: '123456789012', region: 'eu-west-1' } });
  new ScimTokenExpiryMonitor(stack, id, { alertEmails: ['oncall@example.com'], ...props });
  const [parameter] = Object.entries(Template.fromStack(stack).findResources('AWS::SSM::Parameter'));
  if (!parameter) throw new Error('the construct published no settings');
  const { Name, Value } = parameter[1].Properties as { Name: string; Value: unknown };
  // As deployed: the ledger the stand-in serves; the other references as CloudFormation names them.
  const value = String(
    resolveTemplateValue(Value, {
      account: '123456789012',
      region: 'eu-west-1',
      getAtt: (logicalId) => `arn:aws:x:eu-west-1:123456789012:${logicalId}`,
    }),
  ).replace(/ref-[A-Za-z0-9]*LedgerTable[A-Za-z0-9]*/, FAKE_LEDGER_TABLE);
  aws.put(Name, value);
  return Name;
}

const PREFIX = '/platform/scim/';

beforeEach(() => {
  // okta-prod expires 2027-01-15: 46 days left on 2026-11-30.
  aws.put(`${PREFIX}okta-prod`, '{"createdAt":"2026-01-15"}');
});

it.each([
  ['the app stack', 'ScimTokenMonitor', 'Monitor', []],
  [
    'a construct inside a stack of another name',
    'PlatformTeam',
    'ScimTokens',
    ['--stack-name', 'PlatformTeam'],
  ],
])(
  'shows the next alert at the deployed thresholds, with no flags: %s',
  async (_what, stackName, id, args) => {
    const name = deployConstruct(stackName, id, { thresholdsDays: [45, 14, 3], parameterPrefix: PREFIX });
    expect(name).toBe(`/scim-token-monitor/deployments/${stackName}/${id}`);
    const r = await bin(['status', '--json', '--at', '2026-11-30', ...args], { env });
    expect(r.stderr).toBe('');
    const status = JSON.parse(r.stdout) as {
      alertState: string;
      registry: string;
      deployment: string;
      tokens: Array<{ name: string; nextAlert: { alert: string; date: string } }>;
    };
    expect(status).toMatchObject({ alertState: 'known', registry: `SSM ${PREFIX}`, deployment: name });
    expect(status.tokens).toEqual([
      expect.objectContaining({ name: 'okta-prod', nextAlert: { alert: '45-day', date: '2026-12-01' } }),
    ]);
    // check evaluates at the deployed thresholds too: the 45-day alert is due the next day.
    const check = await bin(['check', '--at', '2026-12-01', ...args], { env });
    expect(check.stdout).toContain('expires in 45 days');
  },
);

it('uses a flag that disagrees with the deployment, and says so', async () => {
  deployConstruct('ScimTokenMonitor', 'Monitor', { thresholdsDays: [45, 14, 3], parameterPrefix: PREFIX });
  const r = await bin(['status', '--json', '--at', '2026-11-30', '--thresholds', '60,30,7'], { env });
  expect(r.stderr).toContain(
    "note: --thresholds 60,30,7 differs from the deployment's 45,14,3 (/scim-token-monitor/deployments/ScimTokenMonitor/Monitor): using --thresholds.",
  );
  // At 60/30/7 the 60-day alert is due already (46 days left).
  expect(JSON.parse(r.stdout).tokens[0].nextAlert).toEqual({ alert: '60-day', date: '2026-11-30' });
});

it('says when no monitor is deployed, so the alert state is unknown, instead of showing it empty', async () => {
  const r = await bin(['status', '--at', '2026-11-30', '--prefix', PREFIX], { env });
  expect(r.stdout).toContain('Alert state unknown: no deployed monitor found in this region');
  const json = await bin(['status', '--json', '--at', '2026-11-30', '--prefix', PREFIX], { env });
  expect(JSON.parse(json.stdout).alertState).toBe('unknown');
});
