/**
 * What EventBridge does with a rule, for the rules this stack synthesizes: whether an event
 * matches its pattern (literal values, `exists`, `prefix`, nested fields), and the body an input
 * transformer makes of it (placeholders inside a JSON string take the value's text, outside it
 * take the value's JSON, as EventBridge documents).
 */

type Json = unknown;

export interface Event {
  readonly source: string;
  readonly 'detail-type': string;
  readonly account: string;
  readonly region: string;
  readonly detail: Record<string, Json>;
}

/** The event EventBridge makes of a PutEvents entry, as a rule sees it. */
export function eventOf(
  entry: Record<string, unknown>,
  account = '123456789012',
  region = 'eu-west-1',
): Event {
  return {
    source: String(entry.Source),
    'detail-type': String(entry.DetailType),
    account,
    region,
    detail: JSON.parse(String(entry.Detail)) as Record<string, Json>,
  };
}

function valueMatches(allowed: Json[], value: Json, present: boolean): boolean {
  return allowed.some((a) => {
    if (a !== null && typeof a === 'object') {
      const o = a as Record<string, Json>;
      if ('exists' in o) return o.exists === (present && value !== null);
      if ('prefix' in o) return typeof value === 'string' && value.startsWith(String(o.prefix));
      throw new Error(`pattern operator not modelled: ${JSON.stringify(o)}`);
    }
    return present && a === value;
  });
}

export function matches(pattern: Record<string, Json>, event: Record<string, Json>): boolean {
  return Object.entries(pattern).every(([k, p]) => {
    const present = k in event;
    const value = event[k];
    if (Array.isArray(p)) return valueMatches(p, value, present);
    if (!present || value === null || typeof value !== 'object') return false;
    return matches(p as Record<string, Json>, value as Record<string, Json>);
  });
}

function at(event: Json, path: string): Json {
  return path
    .replace(/^\$\.?/, '')
    .split('.')
    .filter((k) => k !== '')
    .reduce<Json>(
      (o, k) => (o !== null && typeof o === 'object' ? (o as Record<string, Json>)[k] : undefined),
      event,
    );
}

export function transform(
  transformer: { InputPathsMap: Record<string, string>; InputTemplate: string },
  event: Event,
): Json {
  let out = '';
  let inString = false;
  const template = transformer.InputTemplate;
  for (let i = 0; i < template.length; i++) {
    const c = template[i] as string;
    const placeholder = /^<([\w.-]+)>/.exec(template.slice(i));
    if (placeholder && (placeholder[1] as string) in transformer.InputPathsMap) {
      const value = at(event, transformer.InputPathsMap[placeholder[1] as string] as string);
      out += inString
        ? typeof value === 'string'
          ? JSON.stringify(value).slice(1, -1)
          : String(value)
        : JSON.stringify(value ?? null);
      i += placeholder[0].length - 1;
      continue;
    }
    if (c === '"' && template[i - 1] !== '\\') inString = !inString;
    out += c;
  }
  return JSON.parse(out);
}
