/**
 * What a synthesized template grants, as lines a person reads in docs/security.md: each role's
 * statements, and who each resource policy admits. Deploy-time values are written as placeholders
 * (`<region>`, `<account>`), and references to the template's own resources by their logical ID
 * without its hash (`<MonitorAlertTopic>`), so the text is stable across synths.
 */

type Json = unknown;
interface Resource {
  Type: string;
  Properties?: Record<string, Json>;
}
interface Template {
  Resources: Record<string, Resource>;
}

const PSEUDO: Record<string, string> = {
  'AWS::Region': '<region>',
  'AWS::AccountId': '<account>',
  'AWS::Partition': 'aws',
  'AWS::URLSuffix': 'amazonaws.com',
};

/** A logical ID without CDK's 8-hex-digit hash. */
const named = (id: string) => id.replace(/[0-9A-F]{8}$/, '');

function text(value: Json): string {
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
    return String(value);
  if (Array.isArray(value)) return value.map(text).join(', ');
  const o = (value ?? {}) as Record<string, Json>;
  if ('Ref' in o) return PSEUDO[o.Ref as string] ?? `<${named(o.Ref as string)}>`;
  if ('Fn::GetAtt' in o) return `<${named((o['Fn::GetAtt'] as string[])[0] as string)}>`;
  if ('Fn::Join' in o) {
    const [sep, parts] = o['Fn::Join'] as [string, Json[]];
    return parts.map(text).join(sep);
  }
  if ('Fn::Sub' in o)
    return String(o['Fn::Sub']).replace(/\$\{([^}]+)\}/g, (_, k: string) => PSEUDO[k] ?? `<${named(k)}>`);
  return JSON.stringify(value);
}

const list = (v: Json): Json[] => (Array.isArray(v) ? v : v === undefined ? [] : [v]);

function conditions(c: Json): string {
  const entries = Object.entries((c ?? {}) as Record<string, Record<string, Json>>);
  return entries
    .flatMap(([op, keys]) =>
      Object.entries(keys).map(([k, v]) => `${op} ${k} ${list(v).map(text).join(' | ')}`),
    )
    .join('; ');
}

function principal(p: Json): string {
  if (p === '*') return '*';
  const o = (p ?? {}) as Record<string, Json>;
  return Object.entries(o)
    .map(([kind, v]) => `${kind} ${list(v).map(text).join(', ')}`)
    .join('; ');
}

function statementLine(s: Record<string, Json>, withPrincipal: boolean): string {
  const who = withPrincipal && s.Principal !== undefined ? `${principal(s.Principal)}: ` : '';
  const actions = list(s.Action).map(text).join(', ');
  const on = list(s.Resource).map(text).join(', ');
  const when = s.Condition ? ` if ${conditions(s.Condition)}` : '';
  return `${who}${s.Effect} ${actions} on ${on}${when}`;
}

/** Every grant in the template, grouped under the role or resource it belongs to, sorted. */
export function policySummary(template: Template): string[] {
  const groups = new Map<string, string[]>();
  const add = (group: string, line: string) => groups.set(group, [...(groups.get(group) ?? []), line]);
  for (const [id, r] of Object.entries(template.Resources)) {
    const p = r.Properties ?? {};
    switch (r.Type) {
      case 'AWS::IAM::Policy':
        for (const role of list(p.Roles)) {
          for (const s of list((p.PolicyDocument as { Statement: Json }).Statement))
            add(`role ${text(role)}`, statementLine(s as Record<string, Json>, false));
        }
        break;
      case 'AWS::IAM::Role':
        for (const m of list(p.ManagedPolicyArns)) add(`role <${named(id)}>`, `managed policy ${text(m)}`);
        for (const inline of list(p.Policies)) {
          for (const s of list(
            ((inline as Record<string, Json>).PolicyDocument as { Statement: Json }).Statement,
          ))
            add(`role <${named(id)}>`, statementLine(s as Record<string, Json>, false));
        }
        break;
      case 'AWS::KMS::Key':
        for (const s of list((p.KeyPolicy as { Statement: Json }).Statement))
          add(`key <${named(id)}>`, statementLine(s as Record<string, Json>, true));
        break;
      case 'AWS::SNS::TopicPolicy':
      case 'AWS::SQS::QueuePolicy':
        for (const s of list((p.PolicyDocument as { Statement: Json }).Statement))
          add(
            `${r.Type === 'AWS::SNS::TopicPolicy' ? 'topic' : 'queue'} ${list(p.Topics ?? p.Queues)
              .map(text)
              .join(', ')}`,
            statementLine(s as Record<string, Json>, true),
          );
        break;
      case 'AWS::Events::EventBusPolicy':
        add(
          `bus ${text(p.EventBusName ?? 'default')}`,
          statementLine(p.Statement as Record<string, Json>, true),
        );
        break;
      case 'AWS::Lambda::Permission':
        add(
          `function ${text(p.FunctionName)}`,
          `${text(p.Principal)}: Allow ${text(p.Action)}${p.SourceArn ? ` if SourceArn ${text(p.SourceArn)}` : ''}${p.SourceAccount ? ` and SourceAccount ${text(p.SourceAccount)}` : ''}`,
        );
        break;
    }
  }
  return [...groups]
    .sort(([a], [b]) => a.localeCompare(b))
    .flatMap(([group, lines]) => [`${group}:`, ...lines.sort().map((l) => `  ${l}`)]);
}
