/** Terminal output: aligned tables, and colour by severity only when stdout is a terminal. */
import { styleText } from 'node:util';

export interface Output {
  line(text?: string): void;
  readonly color: boolean;
}

export function terminal(stream: NodeJS.WriteStream = process.stdout): Output {
  return {
    line: (text = '') => stream.write(`${text}\n`),
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
