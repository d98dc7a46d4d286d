/**
 * How the bench's quiet runs fit the monitor function's own limits (MemorySize, Timeout), and what
 * this machine cannot show: on AWS, reading the registry is paced by Parameter Store.
 */
import { readFileSync } from 'node:fs';
import * as path from 'node:path';

/**
 * Parameter Store's default throughput: 40 transactions a second, shared by GetParameter,
 * GetParameters and GetParametersByPath (100 for GetParametersByPath with higher throughput).
 */
export const SSM_DEFAULT_TPS = 40;
/** The monitor function's MemorySize (MB) and Timeout (s), as the synthesized template sets them. */
export function functionLimits(assembly: string): { memoryMb: number; timeoutS: number } {
  const template = JSON.parse(
    readFileSync(path.join(assembly, 'ScimTokenMonitor.template.json'), 'utf8'),
  ) as {
    Resources: Record<string, { Type: string; Properties: { MemorySize?: number; Timeout?: number } }>;
  };
  const fn = Object.entries(template.Resources).find(
    ([id, r]) => r.Type === 'AWS::Lambda::Function' && /^MonitorFunction[0-9A-F]{8}$/.test(id),
  )?.[1];
  return { memoryMb: Number(fn?.Properties.MemorySize), timeoutS: Number(fn?.Properties.Timeout) };
}

export interface Row {
  n: number;
  scenario: string;
  wallMs: number;
  cpuMs: number;
  rssMb: number;
  calls: Record<string, number>;
  min: Record<string, number>;
  alerts: number;
}

/**
 * How the quiet runs fit the function's own limits, and the part of a run this machine cannot
 * show: on AWS, reading the registry is paced by Parameter Store's throughput.
 */
export function limitLines(rows: readonly Row[], limits: { memoryMb: number; timeoutS: number }): string[] {
  const quiet = rows.filter((r) => r.scenario === 'nothing due' && r.n >= 1_000);
  return [
    `## Inside the function's limits`,
    '',
    `The monitor function has ${limits.memoryMb} MB and a ${limits.timeoutS} s timeout (from the synthesized template). The registry is read one page at a time and the tokens nothing can be due for are only logged and counted, so memory stays nearly flat as the registry grows. On AWS, reading the registry also waits for Parameter Store: at its default throughput (${SSM_DEFAULT_TPS} calls a second, shared with GetParameter and GetParameters) a run cannot read faster than the last column, whatever the function does.`,
    '',
    '| tokens, nothing due | peak RSS | of MemorySize | wall time here | of Timeout | reading the registry at 40 calls/s |',
    '|---|---|---|---|---|---|',
    ...quiet.map((r) => {
      const pacedS = (r.calls['ssm:GetParametersByPath'] ?? 0) / SSM_DEFAULT_TPS;
      return `| ${r.n.toLocaleString('en')} | ${r.rssMb.toFixed(0)} MB | ${((100 * r.rssMb) / limits.memoryMb).toFixed(0)}% | ${ms(r.wallMs)} | ${((100 * r.wallMs) / 1000 / limits.timeoutS).toFixed(1)}% | at least ${pacedS.toFixed(1)} s (${((100 * pacedS) / limits.timeoutS).toFixed(0)}% of the timeout) |`;
    }),
    '',
    'Standard parameters are limited to 10,000 per account and region; more tokens need the advanced tier.',
    '',
  ];
}

/** Milliseconds as the bench's tables show them. */
export const ms = (x: number) => `${x.toFixed(0)} ms`;
