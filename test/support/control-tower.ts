/**
 * AWS Control Tower's proactive controls (the cfn-guard rules its CloudFormation hooks run at
 * deploy time, as bundled in @cdklabs/cdk-validator-cfnguard) over a synthesized template.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App } from 'aws-cdk-lib';

const validator = new CfnGuardValidator();

/** Each failed control (e.g. `CT.LAMBDA.PR.3`) with the logical IDs of the resources it refuses. */
export function controlTowerFindings(template: object): Record<string, string[]> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), 'scim-ct-')), 'template.json');
  writeFileSync(file, JSON.stringify(template));
  const report = validator.validate({ templatePaths: [file], appConstruct: new App() });
  const findings: Record<string, string[]> = {};
  for (const v of report.violations) {
    const control = /\[(CT\.[A-Z0-9.]+)\]/.exec(v.description ?? '')?.[1] ?? v.ruleName;
    findings[control] = [
      ...(findings[control] ?? []),
      ...v.violatingResources.map((r) => r.resourceLogicalId),
    ].sort();
  }
  return findings;
}
