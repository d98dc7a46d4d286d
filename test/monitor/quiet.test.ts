/**
 * A run's memory stays flat in the registry's size: the Lambda reads the registry page by page and
 * keeps out of its plan the quiet tokens (valid, nothing can be due, nothing to check), which it
 * only logs and counts. Leaving them out must change no decision: for any registry, the plan is
 * the one made with every token in it.
 */
import fc from 'fast-check';
import { ADOPTED_KEY, adoptedName } from '../../core/adoption';
import { addDays, isoDate } from '../../core/dates';
import type { TokenEvaluation } from '../../core/plan';
import type { MonitorSources } from '../../core/ports';
import type { RegistryParameter } from '../../core/registration';
import { MONITOR_STATE_KEY } from '../../core/state';
import { type EvaluationConfig, readPlan } from '../../functions/monitor/read';

const PREFIX = '/scim-token-monitor/tokens/';
const NOW = new Date('2026-11-24T08:00:00Z');
const CONFIG: EvaluationConfig = {
  registryPrefix: PREFIX,
  thresholdsDays: [60, 30, 7],
  validityDays: 365,
  region: 'eu-west-1',
  account: '123456789012',
};
const HERE = 'arn:aws:sso:::instance/ssoins-1111111111111111';
const ELSEWHERE = 'arn:aws:sso:::instance/ssoins-2222222222222222';
const SILENT = { info() {}, warn() {}, error() {} };

interface Registry {
  readonly tokens: Array<{ readonly days: number; readonly instance?: string; readonly broken: boolean }>;
  readonly pageSize: number;
  /** Expiries AWS Health announced and nobody registered (days from now). */
  readonly announced: number[];
  readonly noTokensAlerted: boolean;
}

/** An in-memory source that records when each page is asked for, and how often instances are. */
function sources(registry: Registry) {
  const log: string[] = [];
  let instanceCalls = 0;
  const parameters: RegistryParameter[] = registry.tokens.map((t, i) => ({
    name: `${PREFIX}token-${i}`,
    type: 'String',
    value: t.broken
      ? '{"createdAt":"not a date"}'
      : JSON.stringify({
          createdAt: isoDate(addDays(NOW, t.days - 365)),
          ...(t.instance ? { instanceArn: t.instance } : {}),
        }),
    version: 1,
  }));
  const index = Object.fromEntries(
    registry.announced.map((d) => {
      const at = new Date(`${isoDate(addDays(NOW, d))}T00:00:00Z`);
      return [
        adoptedName(at),
        { expiresAt: at.toISOString(), eventArn: `arn:aws:health:${d}`, adoptedAt: NOW.toISOString() },
      ];
    }),
  );
  const source: MonitorSources = {
    async *registryPages() {
      for (let i = 0; i < parameters.length; i += registry.pageSize) {
        log.push(`page ${i / registry.pageSize}`);
        yield parameters.slice(i, i + registry.pageSize);
      }
    },
    async readStates(keys) {
      const out = new Map<string, string>();
      if (keys.includes(ADOPTED_KEY)) out.set(ADOPTED_KEY, JSON.stringify(index));
      if (keys.includes(MONITOR_STATE_KEY) && registry.noTokensAlerted)
        out.set(MONITOR_STATE_KEY, JSON.stringify({ noTokensAlerted: true, episode: 2 }));
      return out;
    },
    async listInstances() {
      instanceCalls++;
      return [{ instanceArn: HERE, identityStoreId: 'd-1234567890' }];
    },
  };
  return { source, log, instanceCalls: () => instanceCalls };
}

const registries = fc.record({
  tokens: fc.array(
    fc.record({
      // Expired, inside a threshold, or quiet (mostly).
      days: fc.oneof(fc.integer({ min: -20, max: 70 }), fc.integer({ min: 61, max: 364 })),
      instance: fc.option(fc.constantFrom(HERE, ELSEWHERE), { nil: undefined }),
      broken: fc.boolean(),
    }),
    { maxLength: 40 },
  ),
  pageSize: fc.integer({ min: 1, max: 10 }),
  announced: fc.array(fc.integer({ min: 0, max: 90 }), { maxLength: 3 }),
  noTokensAlerted: fc.boolean(),
});

const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);

describe('a run keeps quiet tokens out of its plan', () => {
  it('decides exactly what it decides with every token in the plan, for any registry', async () => {
    await fc.assert(
      fc.asyncProperty(registries, fc.boolean(), async (registry, probeFirst) => {
        const keep = new Set(probeFirst && registry.tokens.length > 0 ? ['token-0'] : []);
        const whole = await readPlan(CONFIG, NOW, SILENT, sources(registry).source);
        const quiet: TokenEvaluation[] = [];
        const lean = sources(registry);
        const plan = await readPlan(CONFIG, NOW, SILENT, lean.source, {
          keep,
          onQuiet: (e) => quiet.push(e),
        });

        expect(plan.alerts).toEqual(whole.alerts);
        expect(plan.commits).toEqual(whole.commits);
        expect(plan.invalid).toEqual(whole.invalid);
        expect([...plan.evaluations, ...quiet].sort(byName)).toEqual([...whole.evaluations].sort(byName));
        expect([...plan.tokens.map((t) => t.name), ...quiet.map((e) => e.name)].sort()).toEqual(
          whole.tokens.map((t) => t.name).sort(),
        );
        expect(plan.quiet.tokens).toBe(quiet.length);
        expect(plan.quiet.minDaysRemaining).toBe(
          quiet.length > 0 ? Math.min(...quiet.map((e) => e.daysRemaining)) : undefined,
        );
        // Quiet means outside every threshold, not probed, not announced.
        for (const e of quiet) {
          expect(e.daysRemaining).toBeGreaterThan(60);
          expect(keep.has(e.name)).toBe(false);
        }
        expect(lean.instanceCalls()).toBeLessThanOrEqual(1);
      }),
      { numRuns: 200, seed: Number(process.env.FUZZ_SEED ?? 20261124) },
    );
  });

  it('logs each quiet token as its page is read, before the next page is asked for', async () => {
    const registry = {
      tokens: [200, 5, 300, 250].map((days) => ({ days, broken: false })),
      pageSize: 2,
      announced: [],
      noTokensAlerted: false,
    };
    const { source, log } = sources(registry);
    const plan = await readPlan(CONFIG, NOW, SILENT, source, {
      onQuiet: (e) => log.push(`quiet ${e.name} ${e.daysRemaining}`),
    });
    expect(log).toEqual(['page 0', 'quiet token-0 200', 'page 1', 'quiet token-2 300', 'quiet token-3 250']);
    expect(plan.tokens.map((t) => t.name)).toEqual(['token-1']);
    expect(plan.quiet).toEqual({ tokens: 3, minDaysRemaining: 200 });
  });

  it('counts quiet tokens as registered: no "no tokens" warning, and a past one is reset', async () => {
    const registry = {
      tokens: [{ days: 200, broken: false }],
      pageSize: 10,
      announced: [],
      noTokensAlerted: true,
    };
    const plan = await readPlan(CONFIG, NOW, SILENT, sources(registry).source, { onQuiet: () => {} });
    expect(plan.tokens).toEqual([]);
    expect(plan.alerts).toEqual([]);
    expect(plan.commits).toEqual([
      { write: { key: MONITOR_STATE_KEY, state: { noTokensAlerted: false, episode: 3 } }, after: [] },
    ]);
  });
});
