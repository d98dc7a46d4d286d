/**
 * Just enough IAM evaluation to check a documented policy against the calls a program made:
 * Allow statements, actions and resources with `*` and `?` wildcards (actions case-insensitive).
 */
import { readFileSync } from 'node:fs';

export interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: string | string[];
  readonly Condition?: unknown;
}

const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);

function glob(pattern: string, value: string, flags = ''): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, flags).test(value);
}

/** The JSON policy in the code block right after `<!-- marker -->` in a Markdown file. */
export function documentedPolicy(file: string, marker: string, vars: Record<string, string>): Statement[] {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(`<!-- ${marker} -->`);
  const block = /```json\n([\s\S]*?)```/.exec(text.slice(at));
  if (at < 0 || !block?.[1]) throw new Error(`no policy after <!-- ${marker} --> in ${file}`);
  const filled = block[1].replace(/<(\w+)>/g, (m, k: string) => vars[k] ?? m);
  return (JSON.parse(filled) as { Statement: Statement[] }).Statement;
}

/** Whether an Allow statement covers `action` on `resource` (conditions are taken as met). */
export function allows(statements: readonly Statement[], action: string, resource: string): boolean {
  return statements.some(
    (s) =>
      s.Effect === 'Allow' &&
      list(s.Action).some((a) => glob(a, action, 'i')) &&
      list(s.Resource).some((r) => glob(r, resource)),
  );
}
