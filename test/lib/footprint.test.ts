/**
 * A footprint that justifies itself: the default stack is exactly what docs/architecture.md
 * lists, resource kind by kind with its reason, and what the README's "What gets deployed" says
 * (its resource count, alarms and outputs), and what its cost table counts and adds up.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { DEFAULTS, METRICS } from '../../core/contract';
import { synthStack } from '../support/stack';

const SCIM = 'https://scim.eu-west-1.amazonaws.com/tenant-123/scim/v2/';

const read = (f: string) => readFileSync(path.join(__dirname, '..', '..', f), 'utf8');
const { template } = synthStack({ alertEmails: 'oncall@example.com' });
const json = template.toJSON() as { Resources: Record<string, { Type: string }>; Outputs: object };
const counts = new Map<string, number>();
for (const r of Object.values(json.Resources)) counts.set(r.Type, (counts.get(r.Type) ?? 0) + 1);

it('docs/architecture.md gives every resource kind of the default stack, with its count and its reason', () => {
  const section =
    read('docs/architecture.md').split('## The default stack, resource by resource')[1]?.split('\n## ')[0] ??
    '';
  const rows = [...section.matchAll(/^\| `([\w:]+)` \| (\d+) \| (.+) \|$/gm)].map(
    (m) => [m[1], Number(m[2]), m[3]] as const,
  );
  expect(new Map(rows.map(([type, n]) => [type, n]))).toEqual(counts);
  expect(rows.every(([, , why]) => (why ?? '').length > 20)).toBe(true);
});

it('the README\'s "What gets deployed" has the resource count, the alarms and every output', () => {
  const section = read('README.md').split('## What gets deployed')[1]?.split('\n## ')[0] ?? '';
  const flat = section.replace(/\s+/g, ' ');
  expect(flat).toContain(`${Object.keys(json.Resources).length} resources with one e-mail address`);
  expect(flat).toContain(`${counts.get('AWS::CloudWatch::Alarm')} alarms`);
  const outputs = [...(flat.split('Outputs:')[1]?.split('. How')[0] ?? '').matchAll(/`(\w+)`/g)].map(
    (m) => m[1],
  );
  for (const o of Object.keys(json.Outputs)) expect(outputs).toContain(o);
  expect(counts.get('AWS::CloudWatch::Dashboard')).toBeUndefined();
});

describe("the README's monthly cost", () => {
  const section = read('README.md').split('## Performance and cost')[1]?.split('\n## ')[0] ?? '';
  const flat = section.replace(/\s+/g, ' ');
  const row = (item: string) => section.split('\n').find((l) => l.startsWith(`| ${item} |`)) ?? '';
  const usd = (cell: string) => Number(/USD ([\d.]+)/.exec(cell)?.[1] ?? Number.NaN);

  it('counts the alarms, keys and custom metrics the template and the monitor create, at their prices', () => {
    const alarms = counts.get('AWS::CloudWatch::Alarm') ?? 0;
    expect(row('CloudWatch alarms')).toContain(`${alarms} alarms at USD 0.10`);
    expect(usd(row('CloudWatch alarms').split('|')[4] ?? '')).toBeCloseTo(alarms * 0.1);
    // The metrics every run may emit: the fixed ones and one per threshold (the e2e bundle test
    // checks a run emits these names and no per-token one).
    const fixed = Object.entries(METRICS).filter(
      ([k]) => !['namespace', 'dimensions', 'daysToExpiry', 'probesInconclusive'].includes(k),
    ).length;
    const metrics = fixed + DEFAULTS.thresholdsDays.length;
    expect(row('CloudWatch metrics')).toContain(
      `${metrics} fixed custom metrics (${metrics + 1} with the probe) at USD 0.30`,
    );
    expect(usd(row('CloudWatch metrics').split('|')[4] ?? '')).toBeCloseTo(metrics * 0.3);
    const keys = (ctx: Record<string, string>) =>
      Object.keys(synthStack(ctx).template.findResources('AWS::KMS::Key')).length;
    expect(counts.get('AWS::KMS::Key')).toBe(1);
    expect(keys({ verifyStoredTokens: 'vault/okta', scimEndpoint: SCIM })).toBe(2);
    expect(row('KMS')).toContain('1 key at USD 1 (2 with `verifyStoredTokens`)');
    expect(
      Object.keys(synthStack({ dashboard: 'true' }).template.findResources('AWS::CloudWatch::Dashboard')),
    ).toHaveLength(1);
  });

  it("adds up: the organization column's total, and the VPC endpoints the governed docs name", () => {
    const items = section
      .split('| **total** |')[0]
      ?.split('\n')
      .filter((l) => /^\| [A-Z]/.test(l) && !l.startsWith('| item'))
      .map((l) => l.split('|')[4] ?? '');
    const upperBound = (items ?? []).reduce((sum, cell) => sum + (usd(cell) || 0), 0);
    expect(items).toHaveLength(8);
    expect(Math.abs(usd(row('**total**').split('|')[4] ?? '') - upperBound)).toBeLessThanOrEqual(0.05);
    // The interface endpoints are those docs/governed-organizations.md lists, priced per hour and zone.
    const governed = read('docs/governed-organizations.md').replace(/\s+/g, ' ');
    const endpoints = /interface VPC endpoints for (.+?), a gateway endpoint/.exec(governed)?.[1] ?? '';
    const named = [...endpoints.replace(/\(.*?\)/g, '').matchAll(/`(\w+)`/g)].map((m) => m[1]);
    expect(named).toEqual(['ssm', 'sns', 'events', 'sso', 'cloudtrail']);
    expect(flat).toContain(
      `${named.length} interface endpoints (${named.map((n) => `\`${n}\``).join(', ')};`,
    );
    const monthly = (n: number) => (n * 2 * 0.01 * 730).toFixed(2);
    expect(flat).toContain(
      `USD ${monthly(named.length)} (USD ${monthly(named.length + 1)} with the webhook)`,
    );
    expect(flat).toContain(`USD ${(0.045 * 730).toFixed(2)} per Availability Zone`);
  });
});
