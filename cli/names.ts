/** Token names as SSM accepts them, checked before anything is read or written. */
import { UsageError } from './errors';

/** SSM parameter name rules for the part after the prefix. */
const TOKEN_NAME = /^[A-Za-z0-9_.-]+(\/[A-Za-z0-9_.-]+)*$/;
/** SSM allows at most 15 levels in a parameter name, prefix included. */
const MAX_LEVELS = 15;

/** Why SSM would refuse `name` whatever the prefix, or undefined when its shape is fine. */
export function tokenNameShapeProblem(name: string): string | undefined {
  if (!TOKEN_NAME.test(name) || name.length > 900 || name.split('/').some((l) => l === '.' || l === '..')) {
    return `"${name}" is not a valid token name: use letters, digits, ".", "-" and "_", with "/" between levels (e.g. okta-prod or prod/okta), and no "." or ".." level.`;
  }
  return undefined;
}

/** Why SSM (or a path reader) would refuse `name` under `prefix`, or undefined when it is fine. */
export function tokenNameProblem(name: string, prefix: string): string | undefined {
  const levels = `${prefix}${name}`.split('/').filter((l) => l !== '').length;
  const shape = tokenNameShapeProblem(name);
  if (shape) return shape;
  if (levels > MAX_LEVELS) {
    return `"${name}" is too deep: SSM allows ${MAX_LEVELS} levels with the prefix ${prefix} included.`;
  }
  return undefined;
}

/** Checked before anything is read: a misspelt name costs no AWS call. */
export function checkTokenNameShape(name: string): void {
  const problem = tokenNameShapeProblem(name);
  if (problem) throw new UsageError(problem);
}

export function checkTokenName(name: string, prefix: string): void {
  const problem = tokenNameProblem(name, prefix);
  if (problem) throw new UsageError(problem);
}
