/**
 * Template values as AWS would see them at deploy time, for evaluating policies: pseudo
 * parameters filled in, joins joined, and references to the stack's own resources turned into
 * stand-in ARNs (a `GetAtt` becomes `getAtt(logicalId)`, a `Ref` becomes `ref-<logicalId>`).
 */
export interface Deployment {
  readonly account: string;
  readonly region: string;
  /** The ARN a `Fn::GetAtt` of this logical ID stands for. */
  readonly getAtt: (logicalId: string) => string;
}

export function resolveTemplateValue(value: unknown, at: Deployment): unknown {
  const resolve = (x: unknown): unknown => resolveTemplateValue(x, at);
  if (Array.isArray(value)) return value.map(resolve);
  if (!value || typeof value !== 'object') return value;
  const v = value as Record<string, unknown>;
  if (v.Ref === 'AWS::Partition') return 'aws';
  if (v.Ref === 'AWS::Region') return at.region;
  if (v.Ref === 'AWS::AccountId') return at.account;
  if (v.Ref === 'AWS::URLSuffix') return 'amazonaws.com';
  if (typeof v.Ref === 'string') return `ref-${v.Ref}`;
  if (Array.isArray(v['Fn::GetAtt'])) return at.getAtt((v['Fn::GetAtt'] as string[])[0] as string);
  if (Array.isArray(v['Fn::Join'])) {
    const [sep, parts] = v['Fn::Join'] as [string, unknown[]];
    return (resolve(parts) as unknown[]).join(sep);
  }
  return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolve(x)]));
}
