/** A value a filter policy allows: an exact string, or a numeric range (`{"numeric": ["<=", 7]}`). */
export type AllowedValue = string | { readonly numeric: ReadonlyArray<string | number> };

/** SNS's numeric comparison: every operator/number pair must hold. */
function numericMatches(condition: ReadonlyArray<string | number>, value: number): boolean {
  const test: Record<string, (a: number, b: number) => boolean> = {
    '=': (a, b) => a === b,
    '<': (a, b) => a < b,
    '<=': (a, b) => a <= b,
    '>': (a, b) => a > b,
    '>=': (a, b) => a >= b,
  };
  for (let i = 0; i < condition.length; i += 2) {
    const op = test[String(condition[i])];
    if (!op?.(value, Number(condition[i + 1]))) return false;
  }
  return true;
}

/**
 * SNS's matching of a subscription filter policy on message attributes, for the policies the
 * README documents: exact strings or numeric ranges per attribute, every attribute required (a
 * numeric range matches only a Number attribute).
 */
export function filterMatches(
  policy: Record<string, readonly AllowedValue[]>,
  attributes: Record<string, { value: string; dataType?: string }>,
): boolean {
  return Object.entries(policy).every(([k, allowed]) => {
    const a = attributes[k];
    if (a === undefined) return false;
    return allowed.some((v) =>
      typeof v === 'string'
        ? a.value === v
        : a.dataType === 'Number' && numericMatches(v.numeric, Number(a.value)),
    );
  });
}

/** The filter policy in backticks right after `lead` in the README. */
export function documentedFilter(readme: string, lead: string): Record<string, AllowedValue[]> {
  const at = readme.indexOf(lead);
  const policy = /`(\{[^`]+\})`/.exec(readme.slice(at))?.[1];
  if (at < 0 || !policy) throw new Error(`no filter policy after "${lead}" in the README`);
  return JSON.parse(policy) as Record<string, AllowedValue[]>;
}
