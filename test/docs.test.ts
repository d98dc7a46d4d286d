/**
 * The house keeps its shape: every path and link the documents name exists, the README's
 * performance figures come from docs/benchmarks.md, and the source has no import cycle and no
 * file over 400 lines.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CONTEXT_KEYS } from '../app/config';
import { DEFAULTS } from '../core/contract';

const ROOT = path.join(__dirname, '..');
const DOCS = [
  'README.md',
  'CHANGELOG.md',
  ...readdirSync(path.join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

/** A path in the repository, possibly with `*` in its last part. */
function exists(relative: string): boolean {
  if (!relative.includes('*')) return existsSync(path.join(ROOT, relative));
  const dir = path.dirname(relative);
  const pattern = new RegExp(`^${path.basename(relative).replace(/[.]/g, '\\.').replace(/\*/g, '.*')}$`);
  return existsSync(path.join(ROOT, dir)) && readdirSync(path.join(ROOT, dir)).some((f) => pattern.test(f));
}

const REPO_PATH =
  /^(bin|app|lib|core|adapters|functions|cli|test|tools|bench|docs|examples|dist)\/[\w.*/-]*[\w*]$/;

/** Repository paths a document names: in backticks, and at the start of lines in plain code blocks. */
function namedPaths(text: string): string[] {
  const inline = [...text.matchAll(/`([^`\s]+)`/g)].map((m) => m[1] as string);
  const trees = [...text.matchAll(/```\n([\s\S]*?)```/g)].flatMap((m) =>
    (m[1] as string).split('\n').flatMap((line) => line.split(/\s+/)[0]?.split(',') ?? []),
  );
  return [...inline, ...trees].map((p) => p.trim()).filter((p) => REPO_PATH.test(p));
}

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/\s/g, '-');
}

describe('the documents', () => {
  it.each(DOCS)('%s names only paths that exist', (doc) => {
    const missing = namedPaths(read(doc)).filter((p) => !exists(p));
    expect(missing).toEqual([]);
  });

  it.each(DOCS)('%s links only to files and headings that exist', (doc) => {
    const broken: string[] = [];
    for (const [, target] of read(doc).matchAll(/\]\(([^)\s]+)\)/g)) {
      if (!target || /^(https?:|mailto:)/.test(target)) continue;
      const [file, anchor] = target.split('#') as [string, string | undefined];
      const resolved = file === '' ? doc : path.normalize(path.join(path.dirname(doc), file));
      if (!existsSync(path.join(ROOT, resolved))) {
        broken.push(target);
        continue;
      }
      if (anchor && resolved.endsWith('.md')) {
        const headings = [...read(resolved).matchAll(/^#+ (.+)$/gm)].map((m) => slug(m[1] as string));
        if (!headings.includes(anchor)) broken.push(target);
      }
    }
    expect(broken).toEqual([]);
  });

  it("quotes in the README's performance section only figures that docs/benchmarks.md reports", () => {
    const readme = read('README.md');
    const section = readme.slice(readme.indexOf('## Performance and cost'), readme.indexOf('Monthly cost'));
    const figures = [...section.matchAll(/\b\d[\d,.]*\s?(?:ms|MB|KB|bytes)\b/g)].map((m) => m[0]);
    expect(figures.length).toBeGreaterThanOrEqual(4);
    const benchmarks = read('docs/benchmarks.md');
    expect(figures.filter((f) => !benchmarks.includes(f))).toEqual([]);
  });
});

describe("the README's configuration table", () => {
  const section = read('README.md').split('## Configuration')[1]?.split('\n## ')[0] ?? '';
  const rows = [...section.matchAll(/^\| (`[^|]+`) \| [^|]+ \| ([^|]+) \|/gm)].map((m) => ({
    keys: [...(m[1] as string).matchAll(/`(\w+)`/g)].map((k) => k[1] as string),
    default: (m[2] as string).trim(),
  }));
  const defaultOf = (key: string) => rows.find((r) => r.keys.includes(key))?.default;

  it('has a row for every context key the app reads, and for nothing else', () => {
    expect(rows.flatMap((r) => r.keys).sort()).toEqual([...CONTEXT_KEYS].sort());
  });

  it("states the contract's defaults (cdk.json repeats none of them)", () => {
    expect(defaultOf('thresholds')).toBe(`\`${DEFAULTS.thresholdsDays.join(',')}\``);
    expect(defaultOf('validityDays')).toBe(`\`${DEFAULTS.validityDays}\``);
    expect(defaultOf('parameterPrefix')).toBe(`\`${DEFAULTS.parameterPrefix}\``);
    expect(defaultOf('schedule')).toBe(`\`${DEFAULTS.schedule}\``);
    expect(defaultOf('digestAfter')).toBe(`\`${DEFAULTS.digestAfter}\``);
    const context = (JSON.parse(read('cdk.json')) as { context: Record<string, unknown> }).context;
    const repeated = Object.entries(context).filter(([key, value]) => value !== '' && defaultOf(key));
    expect(repeated).toEqual([]);
  });
});

describe('the source', () => {
  const tracked = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard'], {
    cwd: ROOT,
    encoding: 'utf8',
  })
    .split('\n')
    .filter((f) => /\.(ts|js)$/.test(f) && existsSync(path.join(ROOT, f)));

  it('has no file over 400 lines', () => {
    const long = tracked
      .map((f) => [f, read(f).split('\n').length - 1] as const)
      .filter(([, lines]) => lines > 400);
    expect(long).toEqual([]);
  });

  it('has no import cycle', async () => {
    const madge = require('madge') as (
      paths: string[],
      config: Record<string, unknown>,
    ) => Promise<{ circular(): string[][] }>;
    const graph = await madge(
      ['bin', 'app', 'lib', 'core', 'adapters', 'functions', 'cli', 'tools', 'bench', 'test'].map((d) =>
        path.join(ROOT, d),
      ),
      { fileExtensions: ['ts'], tsConfig: path.join(ROOT, 'tsconfig.json') },
    );
    expect(graph.circular()).toEqual([]);
  });
});
