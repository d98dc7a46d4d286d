/**
 * Making operator-supplied text safe to show. Registration values are typed by people (and,
 * from the CLI's file registry, may come from anywhere): they must never break a message.
 */

// C0 and C1 control characters, the Unicode line/paragraph separators, every bidi control (marks,
// embeddings, overrides, isolates) that can make text render differently from what it says, the
// zero-width characters (which hide what a linkifier sees), the byte order mark, and lone
// surrogate halves (which are not text at all).
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /(?:[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028\u2029\u202a-\u202e\u2060\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff])+/g;

/** One line of printable text, at most `maxChars` characters (an ellipsis marks a cut). */
export function oneLine(value: string, maxChars: number): string {
  const flat = value.replace(UNSAFE, ' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= maxChars) return flat;
  return `${Array.from(flat)
    .slice(0, Math.max(0, maxChars - 3))
    .join('')}...`;
}

// `://`, `www.` and host names (labels, then a top-level domain of letters) are what chat
// and mail clients turn into live links; markdown links and images are `[text](url)`, `![alt](url)`.
// Dots include the ideographic and full-width ones, which IDNA (and so a linkifier) reads as dots.
const SCHEME = /:\/\//g;
const HOST = /\b(?:[a-z0-9](?:[a-z0-9-]{0,62})[.\u3002\uff0e\uff61])+[a-z]{2,63}\b/gi;

/**
 * Text that no chat or mail client turns into a web link or an image: URLs and host names are
 * defanged the way security teams write them (`https[:]//evil[.]example`), and markdown link and
 * image syntax is broken. For free text from registrations and AWS Health only; the monitor's
 * own console links are added separately and stay live.
 */
export function defang(text: string): string {
  return (
    text
      .replace(SCHEME, '[:]//')
      // An e-mail address (`team@example.com`) stays readable: at worst it opens a mail draft.
      .replace(HOST, (host, at: number, all: string) =>
        all[at - 1] === '@' ? host : host.replace(/[.\u3002\uff0e\uff61]/g, '[.]'),
      )
      .replace(/\]\(/g, ']\u200b(')
      .replace(/!\[/g, '!\u200b[')
  );
}

/**
 * A name from the registry (a token's, a parameter's) as one line a mail client shows as text:
 * SSM accepts `www.okta-scim-rotation.com` as a name, which would otherwise become a link in the
 * very message that tells on-call where to go.
 */
export function shownName(value: string, maxChars = 300): string {
  return defang(oneLine(value, maxChars));
}

/** Free text (owner, notes, reasons) as one line that renders as text, never as a link. */
export function freeText(value: string, maxChars: number): string {
  return defang(oneLine(value, maxChars));
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
