/** What the construct tells the CLI about itself: the settings parameter, as synthesized. */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULTS, DEPLOYMENT_SETTINGS } from '../../../core/contract';
import { ScimTokenExpiryMonitor } from '../../../lib/scim-token-expiry-monitor';
import { synthStack } from '../../support/stack';

/** The parameter's JSON with every deploy-time token (`Ref`, `Fn::GetAtt`…) shown as `TOKEN`. */
function settingsOf(template: Template): { name: string; type: string; tier: string; value: object } {
  const [parameter] = Object.values(template.findResources('AWS::SSM::Parameter')) as Array<{
    Properties: { Name: string; Type: string; Tier: string; Value: unknown };
  }>;
  if (!parameter) throw new Error('no settings parameter');
  const render = (v: unknown): string => {
    if (typeof v === 'string') return v;
    const join = (v as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
    return join ? join[1].map(render).join(join[0]) : 'TOKEN';
  };
  const { Name, Type, Tier, Value } = parameter.Properties;
  return { name: Name, type: Type, tier: Tier, value: JSON.parse(render(Value)) as object };
}

describe('the deployment settings parameter', () => {
  it("holds what the CLI needs, the contract's defaults included, and no secret", () => {
    const { template } = synthStack({
      slackWebhookSecretName: 'slack/webhook-url',
      verifyStoredTokens: 'vault/okta',
      scimEndpoint: 'https://scim.eu-west-1.amazonaws.com/tenant-123/scim/v2/',
      healthSourceAccounts: '111111111111',
    });
    const settings = settingsOf(template);
    expect(settings).toMatchObject({
      name: `${DEPLOYMENT_SETTINGS.path}ScimTokenMonitor/Monitor`,
      // Plain text: nothing in it needs hiding.
      type: 'String',
      tier: 'Intelligent-Tiering',
    });
    expect(settings.value).toEqual({
      version: 1,
      stackName: DEFAULTS.stackName,
      parameterPrefix: DEFAULTS.parameterPrefix,
      thresholdsDays: DEFAULTS.thresholdsDays,
      validityDays: DEFAULTS.validityDays,
      schedule: DEFAULTS.schedule,
      maxHoursWithoutSuccess: 26,
      ledgerTableName: 'TOKEN',
      alertTopicArn: 'TOKEN',
      functionName: 'TOKEN',
      logGroupName: 'TOKEN',
      scheduleRuleName: 'TOKEN',
      healthRuleName: 'TOKEN',
      alarmNames: ['TOKEN', 'TOKEN', 'TOKEN', 'TOKEN'],
      reconcileHealthEvents: true,
      observeProvisioning: true,
      healthSourceAccounts: ['111111111111'],
      tokenKeyArn: 'TOKEN',
      publisherRoleArns: ['TOKEN', 'TOKEN'],
      alarmRelayFunctionName: 'TOKEN',
      deadLetterQueueName: 'TOKEN',
    });
    // Not even the names of where secrets are kept: the CLI has no use for them.
    expect(JSON.stringify(settings.value)).not.toMatch(/slack\/webhook-url|vault\/okta|tenant-123/);
  });

  it("is named by the stack and the construct's path, for a construct in any stack", () => {
    const stack = new Stack(new App(), 'PlatformTeam');
    new ScimTokenExpiryMonitor(stack, 'Identity Center', { thresholdsDays: [45, 14, 3] });
    const settings = settingsOf(Template.fromStack(stack));
    expect(settings.name).toBe(`${DEPLOYMENT_SETTINGS.path}PlatformTeam/Identity-Center`);
    expect(settings.value).toMatchObject({ stackName: 'PlatformTeam', thresholdsDays: [45, 14, 3] });
  });
});
