/**
 * The examples consume the construct from the package entry point (`import ... from
 * 'scim-token-monitor'`), resolved by Node through package.json `exports` to the built `dist/`,
 * exactly as another CDK app would. Jest's global setup builds the package; each example is synthesized.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { promisify } from 'node:util';
import { Match, Template } from 'aws-cdk-lib/assertions';

const run = promisify(execFile);
const ROOT = path.join(__dirname, '..', '..');
const bin = (name: string) => path.join(ROOT, 'node_modules', '.bin', name);

async function synth(example: string): Promise<(stack: string) => Template> {
  const outdir = mkdtempSync(path.join(tmpdir(), 'scim-example-'));
  await run(bin('tsx'), [path.join(ROOT, 'examples', example, 'app.ts')], {
    cwd: ROOT,
    env: { ...process.env, CDK_OUTDIR: outdir },
    maxBuffer: 16 * 1024 * 1024,
  });
  return (stack) =>
    Template.fromJSON(JSON.parse(readFileSync(path.join(outdir, `${stack}.template.json`), 'utf8')));
}

describe('the package entry point', () => {
  it('exports the constructs and their defaults, with declarations', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    expect(pkg.exports['.']).toEqual({ types: './dist/lib/index.d.ts', default: './dist/lib/index.js' });
    const entry = require(path.join(ROOT, pkg.main));
    // The library only: the constructs and their defaults, not the app's stacks or context parsing.
    expect(Object.keys(entry).sort()).toEqual([
      'DEFAULT_PARAMETER_PREFIX',
      'DEFAULT_SCHEDULE',
      'DEFAULT_THRESHOLDS_DAYS',
      'DEFAULT_VALIDITY_DAYS',
      'ScimTokenExpiryMonitor',
      'ScimTokenHealthForwarder',
    ]);
    expect(readFileSync(path.join(ROOT, pkg.types), 'utf8')).toContain('ScimTokenExpiryMonitorProps');
  });
});

describe('examples/existing-stack', () => {
  it('adds the monitor to an existing stack, publishing to the existing encrypted topic', async () => {
    const template = (await synth('existing-stack'))('PlatformAlerting');
    // No topic of its own: one topic in the stack, the platform's.
    template.resourceCountIs('AWS::SNS::Topic', 1);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Runtime: 'nodejs24.x',
      Environment: {
        Variables: Match.objectLike({
          ALERT_TOPIC_ARN: { Ref: Match.stringLikeRegexp('PlatformAlerts') },
          PARAMETER_PREFIX: '/platform/scim-tokens/',
          THRESHOLDS_DAYS: '45,14,3',
        }),
      },
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'platform-team@example.com',
    });
    // The function may use the platform topic's key (grantPublish knows it).
    const policies = JSON.stringify(template.findResources('AWS::IAM::Policy'));
    expect(policies).toMatch(/kms:GenerateDataKey\*[\s\S]*AlertsKey/);
  }, 120_000);
});

describe('examples/central-alerting', () => {
  it('runs one monitor per identity account, all alerting to the central topic and bus', async () => {
    const templates = await synth('central-alerting');
    const central = templates('CentralScimAlerts');
    central.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'sns:Publish',
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::111111111111:root']] },
            },
          }),
        ]),
      },
    });
    for (const account of ['111111111111', '333333333333']) {
      // Only the member's monitor roles (function and alarm relay) may publish and use the key,
      // the key only through SNS; no service principal is let in.
      const roles = {
        ArnLike: { 'aws:PrincipalArn': `arn:aws:iam::${account}:role/ScimTokenMonitor-${account}-*` },
      };
      central.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Sid: `MonitorsOf${account}Publish`, Condition: roles }),
          ]),
        },
      });
      central.hasResourceProperties('AWS::KMS::Key', {
        KeyPolicy: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Sid: `MonitorsOf${account}EncryptThroughSns`,
              Condition: { ...roles, StringEquals: { 'kms:ViaService': 'sns.eu-west-1.amazonaws.com' } },
            }),
          ]),
        },
      });
      expect(JSON.stringify(central.toJSON())).not.toContain('cloudwatch.amazonaws.com');
      central.hasResourceProperties('AWS::Events::EventBusPolicy', {
        Statement: Match.objectLike({
          // events:source is multivalued (one value per entry): every entry must be the monitor's.
          Condition: Match.objectLike({
            'ForAllValues:StringEquals': { 'events:source': ['scim-token-monitor'] },
            Null: { 'events:source': 'false' },
          }),
        }),
      });
      const member = templates(`ScimTokenMonitor-${account}`);
      member.resourceCountIs('AWS::SNS::Topic', 0);
      member.hasResourceProperties('AWS::Lambda::Function', {
        Environment: {
          Variables: Match.objectLike({
            ALERT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:222222222222:scim-token-alerts',
            EVENT_BUS_ARN: 'arn:aws:events:eu-west-1:222222222222:event-bus/scim-token-alerts',
          }),
        },
      });
      // Both publishers, the monitor and the alarm relay, may use the central key through SNS.
      const keyUsers = Object.values(member.findResources('AWS::IAM::Policy')).filter((p) =>
        JSON.stringify(p).includes('UseTheAlertTopicKeyThroughSns'),
      );
      expect(keyUsers.map((p) => JSON.stringify(p.Properties.Roles))).toEqual([
        expect.stringMatching(/MonitorFunctionRole|Monitor.*Role/),
        expect.stringMatching(/AlarmRelay/),
      ]);
      expect(JSON.stringify(keyUsers)).toContain('arn:aws:kms:eu-west-1:222222222222:key/1234abcd');
      const policies = JSON.stringify(member.findResources('AWS::IAM::Policy'));
      expect(policies).toContain('arn:aws:sns:eu-west-1:222222222222:scim-token-alerts');
      expect(policies).toContain('arn:aws:events:eu-west-1:222222222222:event-bus/scim-token-alerts');
    }
  }, 120_000);
});
