/**
 * SNS's matching of a subscription filter policy on message attributes, for the policies the
 * README documents: exact string values per attribute, every attribute required.
 */
export function filterMatches(
  policy: Record<string, string[]>,
  attributes: Record<string, { value: string }>,
): boolean {
  return Object.entries(policy).every(
    ([k, allowed]) => attributes[k] !== undefined && allowed.includes(attributes[k].value),
  );
}

/** The filter policy in backticks right after `lead` in the README. */
export function documentedFilter(readme: string, lead: string): Record<string, string[]> {
  const at = readme.indexOf(lead);
  const policy = /`(\{[^`]+\})`/.exec(readme.slice(at))?.[1];
  if (at < 0 || !policy) throw new Error(`no filter policy after "${lead}" in the README`);
  return JSON.parse(policy) as Record<string, string[]>;
}
