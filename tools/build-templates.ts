/**
 * Writes the plain CloudFormation templates the package ships (`dist/templates/`): the AWS Health
 * forwarder, for a management account deployed without CDK. Written only when changed.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { forwarderTemplate } from '../app/health-forwarder-stack';

const ROOT = path.join(__dirname, '..');
export const FORWARDER_TEMPLATE = path.join(
  ROOT,
  'dist',
  'templates',
  'scim-token-health-forwarder.template.json',
);

export function buildTemplates(): void {
  const text = `${JSON.stringify(forwarderTemplate(), null, 2)}\n`;
  if (existsSync(FORWARDER_TEMPLATE) && readFileSync(FORWARDER_TEMPLATE, 'utf8') === text) return;
  mkdirSync(path.dirname(FORWARDER_TEMPLATE), { recursive: true });
  writeFileSync(FORWARDER_TEMPLATE, text);
}

if (require.main === module) buildTemplates();
