/**
 * A fresh CDK project that installs the packed package, the way a user's project would, but
 * offline: its package-lock.json is derived from ours (the same versions, resolved URLs and
 * integrity hashes, minus everything only this repository's development needs), so `npm ci
 * --offline` installs from the npm cache that our own `npm ci` filled.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ROOT } from './bin';

interface LockEntry {
  version?: string;
  resolved?: string;
  integrity?: string;
  dev?: boolean;
  devOptional?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  [key: string]: unknown;
}

interface Manifest {
  name: string;
  version: string;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  peerDependencies: Record<string, string>;
  bin: Record<string, string>;
  engines: Record<string, string>;
  license: string;
}

let registryUrl: string | undefined;
/** The npm registry as configured here, with a trailing slash. */
function registry(): string {
  registryUrl ??= execFileSync('npm', ['config', 'get', 'registry'], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  })
    .trim()
    .replace(/\/?$/, '/');
  return registryUrl;
}

/** Where Node would find `name` required from the package installed at `from` (a lockfile path). */
function resolveIn(packages: Record<string, LockEntry>, from: string, name: string): string | undefined {
  let base = from;
  for (;;) {
    const candidate = `${base ? `${base}/` : ''}node_modules/${name}`;
    if (packages[candidate]) return candidate;
    if (!base) return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/** The lockfile of a project depending on the tarball plus aws-cdk-lib and constructs. */
export function consumerLockfile(tarballSpec: string): { manifest: object; lockfile: object } {
  const pkg = require(path.join(ROOT, 'package.json')) as Manifest;
  const ours = require(path.join(ROOT, 'package-lock.json')) as { packages: Record<string, LockEntry> };
  const cdk = {
    'aws-cdk-lib': pkg.devDependencies['aws-cdk-lib'] as string,
    constructs: pkg.devDependencies.constructs as string,
  };
  const dependencies = { [pkg.name]: tarballSpec, ...cdk };
  const packages: Record<string, LockEntry> = {
    '': { name: 'consumer', version: '1.0.0', dependencies },
    [`node_modules/${pkg.name}`]: {
      version: pkg.version,
      resolved: tarballSpec,
      license: pkg.license,
      dependencies: pkg.dependencies,
      peerDependencies: pkg.peerDependencies,
      bin: pkg.bin,
      engines: pkg.engines,
    },
  };
  const visit = (from: string, names: readonly string[]) => {
    for (const name of names) {
      const at = resolveIn(ours.packages, from, name);
      if (!at || packages[at]) continue;
      const { dev: _dev, devOptional: _devOptional, ...entry } = ours.packages[at] as LockEntry;
      // Our lockfile omits registry URLs (npm's omit-lockfile-registry-resolved); naming the
      // tarball lets `npm ci --offline` take it from the cache by integrity, with no metadata lookup.
      packages[at] = {
        ...entry,
        resolved: entry.resolved ?? `${registry()}${name}/-/${name.split('/').pop()}-${entry.version}.tgz`,
      };
      visit(at, [
        ...Object.keys(entry.dependencies ?? {}),
        ...Object.keys(entry.optionalDependencies ?? {}),
        ...Object.keys(entry.peerDependencies ?? {}),
      ]);
    }
  };
  visit(`node_modules/${pkg.name}`, [...Object.keys(pkg.dependencies), ...Object.keys(pkg.peerDependencies)]);
  visit('', Object.keys(cdk));
  return {
    manifest: { name: 'consumer', version: '1.0.0', private: true, dependencies },
    lockfile: { name: 'consumer', version: '1.0.0', lockfileVersion: 3, requires: true, packages },
  };
}

/** Packs the repository (dist/ must be built) and returns the tarball's path and its file list. */
export function pack(): { tarball: string; files: string[] } {
  const dir = mkdtempSync(path.join(tmpdir(), 'scim-pack-'));
  const out = execFileSync('npm', ['pack', '--ignore-scripts', '--json', '--pack-destination', dir], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'ignore'],
  });
  const [info] = JSON.parse(out) as Array<{ filename: string; files: Array<{ path: string }> }>;
  if (!info) throw new Error('npm pack reported nothing');
  return { tarball: path.join(dir, info.filename), files: info.files.map((f) => f.path) };
}

/** A new project with the tarball, aws-cdk-lib and constructs installed offline; returns its folder. */
export function installConsumer(tarball: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'scim-consumer-'));
  const { manifest, lockfile } = consumerLockfile(`file:${tarball}`);
  writeFileSync(path.join(dir, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  writeFileSync(path.join(dir, 'package-lock.json'), `${JSON.stringify(lockfile, null, 2)}\n`);
  execFileSync('npm', ['ci', '--offline', '--no-audit', '--no-fund'], {
    cwd: dir,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return dir;
}
