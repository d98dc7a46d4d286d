/** Shell blocks of the README that tests run exactly as written, marked `<!-- tested: NAME -->`. */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { ROOT } from './bin';

export function testedBlock(name: string, file = path.join(ROOT, 'README.md')): string[] {
  const text = readFileSync(file, 'utf8');
  const at = text.indexOf(`<!-- tested: ${name} -->`);
  const block = /```sh\n([\s\S]*?)```/.exec(text.slice(at));
  if (at < 0 || !block?.[1]) throw new Error(`no sh block after <!-- tested: ${name} --> in ${file}`);
  return block[1].split('\n').filter((line) => line.trim() !== '' && !line.trim().startsWith('#'));
}
