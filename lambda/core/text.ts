/**
 * Making operator-supplied text safe to show. Registration values are typed by people (and,
 * from the CLI's file registry, may come from anywhere): they must never break a message.
 */

// C0 and C1 control characters, the Unicode line/paragraph separators, every bidi control (marks,
// embeddings, overrides, isolates) that can make text render differently from what it says, the
// byte order mark, and lone surrogate halves (which are not text at all).
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /(?:[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])+/g;

/** One line of printable text, at most `maxChars` characters (an ellipsis marks a cut). */
export function oneLine(value: string, maxChars: number): string {
  const flat = value.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  return `${Array.from(flat)
    .slice(0, Math.max(0, maxChars - 3))
    .join('')}...`;
}

/** Plain ASCII for SNS subjects, which reject anything else. */
export function ascii(value: string, maxChars: number): string {
  return oneLine(value.replace(/[^\x20-\x7e]/g, '?'), maxChars);
}

/** A short quoted excerpt of a bad value, for an error message. */
export function excerpt(value: unknown): string {
  const text = typeof value === 'string' ? value : (JSON.stringify(value) ?? String(value));
  return JSON.stringify(oneLine(text, 40));
}
