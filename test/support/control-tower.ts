/**
 * AWS Control Tower's proactive controls (the cfn-guard rules its CloudFormation hooks run at
 * deploy time, as bundled in @cdklabs/cdk-validator-cfnguard) over synthesized templates.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { CfnGuardValidator } from '@cdklabs/cdk-validator-cfnguard';
import { App } from 'aws-cdk-lib';

const validator = new CfnGuardValidator();

/** Each failed control (e.g. `CT.LAMBDA.PR.3`) with the logical IDs of the resources it refuses. */
export type Findings = Record<string, string[]>;

/**
 * The findings for each named template, from one cfn-guard run over all of them (most of a run's
 * time is reading the rules, so one run per template would cost that many times over).
 */
export function controlTowerFindings(templates: Record<string, object>): Record<string, Findings> {
  const dir = mkdtempSync(path.join(tmpdir(), 'scim-ct-'));
  const names = Object.keys(templates);
  const files = names.map((name, i) => {
    const file = path.join(dir, `template-${i}.json`);
    writeFileSync(file, JSON.stringify(templates[name]));
    return file;
  });
  const report = validator.validate({ templatePaths: files, appConstruct: new App() });
  const findings: Record<string, Findings> = Object.fromEntries(names.map((name) => [name, {}]));
  for (const v of report.violations) {
    const control = /\[(CT\.[A-Z0-9.]+)\]/.exec(v.description ?? '')?.[1] ?? v.ruleName;
    for (const r of v.violatingResources) {
      const name = names[files.indexOf(r.templatePath)];
      if (name === undefined) throw new Error(`cfn-guard reported an unknown template: ${r.templatePath}`);
      const byControl = findings[name] as Findings;
      byControl[control] = [...(byControl[control] ?? []), r.resourceLogicalId].sort();
    }
  }
  return findings;
}
