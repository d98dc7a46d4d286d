/** Terminal output: aligned tables, and colour by severity only when stdout is a terminal. */
import { styleText } from 'node:util';

export interface Output {
  line(text?: string): void;
  readonly color: boolean;
}

// Everything a terminal could act on: C0 (but tab and newline) and C1 controls, DEL, bidi controls,
// the BOM and lone surrogates. ESC is allowed only as the colour codes `paint` writes (red, bold,
// yellow, cyan, green, grey and their resets), which can colour text but not hide or move it.
const UNSAFE =
  // biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point.
  /\x1b\[(?:1|22|3[1236]|39|90)m|[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

/**
 * Text as a terminal shows it and does nothing else: names and values from a registry file or
 * from AWS cannot move the cursor, retitle the window, write the clipboard or reorder text. Each
 * such character is shown as `\uXXXX` (which is also what JSON would write inside a string).
 */
export function forTerminal(text: string): string {
  return text.replace(UNSAFE, (c) =>
    c.length > 1 ? c : `\\u${(c.codePointAt(0) ?? 0).toString(16).padStart(4, '0')}`,
  );
}

export function terminal(stream: NodeJS.WriteStream = process.stdout): Output {
  return {
    line: (text = '') => stream.write(`${forTerminal(text)}\n`),
    color: stream.isTTY === true && !process.env.NO_COLOR,
  };
}

export type Tone = 'critical' | 'warning' | 'info' | 'ok' | 'muted';

const STYLE: Record<Tone, Parameters<typeof styleText>[0]> = {
  critical: ['red', 'bold'],
  warning: 'yellow',
  info: 'cyan',
  ok: 'green',
  muted: 'gray',
};

export function paint(out: Output, tone: Tone, text: string): string {
  return out.color ? styleText(STYLE[tone], text) : text;
}

/** The tone of a token by days left: the alert thresholds' severities. */
export function toneForDays(days: number, expired: boolean): Tone {
  if (expired || days <= 7) return 'critical';
  if (days <= 30) return 'warning';
  if (days <= 60) return 'info';
  return 'ok';
}

/** Rows of cells, padded to the widest cell of each column; `tones` colours whole rows. */
export function table(
  out: Output,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  tones: readonly Tone[] = [],
): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const render = (cells: readonly string[]) =>
    cells
      .map((c, i) => c.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd();
  out.line(paint(out, 'muted', render(header)));
  rows.forEach((row, i) => {
    const tone = tones[i];
    out.line(tone ? paint(out, tone, render(row)) : render(row));
  });
}
