/**
 * The release path: the workflows are valid GitHub Actions workflows (checked against the schema
 * by action-validator), the release workflow publishes with provenance only on a version tag
 * that matches package.json and the CHANGELOG, after the same checks CI runs, and attaches the
 * artifacts it promises.
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { validateWorkflow } from '@action-validator/core';

const ROOT = path.join(__dirname, '..', '..');
const WORKFLOWS = path.join(ROOT, '.github', 'workflows');
const read = (f: string) => readFileSync(path.join(WORKFLOWS, f), 'utf8');

it.each(readdirSync(WORKFLOWS).filter((f) => f.endsWith('.yml')))('%s is a valid workflow', (file) => {
  expect(validateWorkflow(read(file)).errors).toEqual([]);
});

it('the linter would see a broken workflow (the check is live)', () => {
  expect(
    validateWorkflow('on: push\njobs:\n  x:\n    runs-on: ubuntu-latest\n    stepz: []\n').errors,
  ).not.toEqual([]);
});

it('releases on a version tag, after the CI checks, with provenance, and attaches the tarball and the template', () => {
  const release = read('release.yml');
  expect(release).toMatch(/tags: \['v\*\.\*\.\*'\]/);
  expect(release).toContain('id-token: write');
  expect(release).toContain('npm publish --provenance');
  expect(release).toContain('bash .ci/run');
  expect(release).toContain("require('./package.json').version");
  expect(release).toContain('CHANGELOG.md');
  // What it attaches is what the package builds.
  const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { files: string[] };
  expect(pkg.files).toContain('dist/templates');
  expect(release).toContain('dist/templates/scim-token-health-forwarder.template.json');
});

it('installs quietly: every dependency with an install script is reviewed (npm ci warns of none)', () => {
  const out = execFileSync('npm', ['install-scripts', 'ls'], { cwd: ROOT, encoding: 'utf8' });
  expect(out.trim()).toBe('No packages with unreviewed install scripts.');
});
