/**
 * One contract: every environment variable, stack output and metric name in the synthesized
 * templates is spelled in exactly one source file, core/contract.ts, which the construct, the
 * functions, the CLI and the dashboard import. If a copy drifts, an alarm that treats missing data
 * as fine would never fire; so no copy is allowed.
 */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { synthStack } from './support/stack';

const ROOT = path.join(__dirname, '..');
const SOURCES = ['bin', 'app', 'lib', 'core', 'adapters', 'functions', 'cli'].flatMap((dir) =>
  readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(dir, f)),
);
/** A source's code without its comments (which may name what they explain). */
const code = (f: string) =>
  readFileSync(path.join(ROOT, f), 'utf8')
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/^\s*\/\/.*$/gm, '');
const text = new Map(SOURCES.map((f) => [f, code(f)]));

/** Source files holding `name` as a string literal (or, for a metric per threshold, its template). */
function spelledIn(name: string): string[] {
  const perThreshold = /^TokensWithin\d+Days$/.test(name);
  const literal = perThreshold
    ? /`TokensWithin\$\{/
    : new RegExp(`(['"\`])${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\1`);
  return SOURCES.filter((f) => literal.test(text.get(f) ?? ''));
}

/** Every name that crosses a boundary in the templates of the default and an all-options stack. */
function namesInTemplates(): { env: string[]; outputs: string[]; metrics: string[] } {
  const templates = [
    synthStack().template,
    synthStack({
      verifyStoredTokens: 'vault/okta',
      scimEndpoint: 'https://scim.eu-west-1.amazonaws.com/tenant-123/scim/v2/',
      slackWebhookSecretName: 'slack/webhook',
      environmentName: 'prod',
      tokenMetrics: 'true',
      dashboard: 'true',
      pagerDutySecretName: 'platform/pagerduty',
      scheduleTimeZone: 'America/New_York',
    }).template,
  ].map(
    (t) =>
      t.toJSON() as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
        Outputs?: object;
      },
  );
  const env = new Set<string>();
  const outputs = new Set<string>();
  const metrics = new Set<string>();
  for (const t of templates) {
    for (const o of Object.keys(t.Outputs ?? {})) outputs.add(o);
    for (const r of Object.values(t.Resources)) {
      const variables = (r.Properties?.Environment as { Variables?: object } | undefined)?.Variables ?? {};
      if (r.Type === 'AWS::Lambda::Function') for (const v of Object.keys(variables)) env.add(v);
      if (r.Type !== 'AWS::CloudWatch::Dashboard' && r.Type !== 'AWS::CloudWatch::Alarm') continue;
      const json = JSON.stringify(r.Properties ?? {});
      // Alarms name their metric; dashboards list [namespace, metric name, ...] and a SEARCH.
      for (const m of json.matchAll(
        /"MetricName":"(\w+)","Namespace":"ScimTokenMonitor"|\\"ScimTokenMonitor\\",\\"(\w+)\\"/g,
      )) {
        metrics.add((m[1] ?? m[2]) as string);
      }
      if (r.Type === 'AWS::CloudWatch::Alarm' && r.Properties.Namespace === 'ScimTokenMonitor') {
        metrics.add(String(r.Properties.MetricName));
      }
    }
  }
  return { env: [...env], outputs: [...outputs], metrics: [...metrics] };
}

describe('the contract', () => {
  const names = namesInTemplates();

  it('finds the names to check (the check is not vacuous)', () => {
    expect(names.env).toEqual(
      expect.arrayContaining(['ALERT_TOPIC_ARN', 'PARAMETER_PREFIX', 'SLACK_WEBHOOK_SECRET_NAME']),
    );
    expect(names.outputs).toEqual(expect.arrayContaining(['LedgerTableName', 'TokenKeyArn']));
    expect(names.metrics).toEqual(
      expect.arrayContaining([
        'RunSucceeded',
        'InvalidRegistrations',
        'TokensWithin60Days',
        'MinDaysToExpiry',
      ]),
    );
  });

  it.each(['env', 'outputs', 'metrics'] as const)(
    'spells every %s name in core/contract.ts and nowhere else',
    (kind) => {
      const elsewhere = names[kind]
        .map((name) => [name, spelledIn(name)] as const)
        .filter(([, files]) => files.length !== 1 || files[0] !== path.join('core', 'contract.ts'));
      expect(elsewhere).toEqual([]);
    },
  );
});
