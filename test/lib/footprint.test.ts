/**
 * A footprint that justifies itself: the default stack is exactly what docs/architecture.md
 * lists, resource kind by kind with its reason, and what the README's "What gets deployed" says
 * (its resource count, alarms and outputs).
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { synthStack } from '../support/stack';

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
