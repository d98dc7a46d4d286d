/**
 * The monitor's promise as a property, over random registries, random faults on every call (the
 * registry, the ledger, both channels, entries inside successful replies, answers lost after a
 * call was applied) and overlapping runs, through the real run (functions/monitor/run.ts) over
 * in-memory ports. Each day ends with one run that meets no fault (Lambda's last retry, or the
 * next day's run). Checked:
 * - by the end of each day, every due alert was delivered at least once on every channel;
 * - no alert was delivered before it was due;
 * - after every invocation, even one that failed half-way, no state says an alert went out that
 *   was not delivered on every channel: state never runs ahead of delivery.
 */
import fc from 'fast-check';
import type { DigestEntry } from '../../core/alert';
import { addDays, daysRemaining, isoDate } from '../../core/dates';
import type { AlertPayload } from '../../core/messages';
import { parseTokenState } from '../../core/state';
import { loadConfig } from '../../functions/monitor/config';
import type { InvocationMode } from '../../functions/monitor/invocation';
import { runMonitor } from '../../functions/monitor/run';
import { MONITOR_ENV } from '../support/env';
import { type MemoryFault, memoryPorts } from '../support/memory-ports';

const PREFIX = MONITOR_ENV.PARAMETER_PREFIX;
const THRESHOLDS = [10, 5, 2];
const START = new Date('2027-03-01T08:00:00Z');
const DAYS = 24;
const config = loadConfig({ ...MONITOR_ENV, THRESHOLDS_DAYS: THRESHOLDS.join(','), DIGEST_AFTER: '3' });

interface TokenPlan {
  /** Days from START to the first expiry. */
  readonly expiresIn: number;
  readonly validityDays: number;
  /** Registered again (rotated) this many days after START, with a new creation date. */
  readonly rotatedOn?: number;
  /** An invalid registration instead (reported once per revision). */
  readonly broken: boolean;
}

const tokenPlan = fc.record(
  {
    expiresIn: fc.integer({ min: -3, max: 30 }),
    validityDays: fc.integer({ min: 12, max: 40 }),
    rotatedOn: fc.integer({ min: 1, max: DAYS - 1 }),
    broken: fc.integer({ min: 0, max: 99 }).map((n) => n < 15),
  },
  { requiredKeys: ['expiresIn', 'validityDays', 'broken'] },
);

/** What the registry holds on a given day: each token's registration value. */
function registryOn(tokens: readonly TokenPlan[], day: number): Map<string, string> {
  const out = new Map<string, string>();
  tokens.forEach((t, i) => {
    const name = `t${i}`;
    if (t.broken) {
      out.set(name, '{"createdAt":"2027-02-30"}');
      return;
    }
    const rotated = t.rotatedOn !== undefined && day >= t.rotatedOn;
    const created = rotated
      ? addDays(START, t.rotatedOn as number)
      : addDays(START, t.expiresIn - t.validityDays);
    out.set(name, JSON.stringify({ createdAt: isoDate(created), validityDays: t.validityDays }));
  });
  return out;
}

/** The alerts a message delivered: a single alert, or a digest's entries. */
function delivered(
  p: AlertPayload,
): Array<Pick<DigestEntry, 'tokenName' | 'alertType' | 'threshold' | 'expiryDate'>> {
  return p.alertType === 'digest' ? [...(p.digest ?? [])] : [p];
}

const key = (a: {
  tokenName: string | null;
  alertType: string;
  threshold: number | null;
  expiryDate: string | null;
}) => `${a.tokenName} ${a.alertType} ${a.threshold} ${a.expiryDate}`;

const totals = { runs: 0, delivered: 0 };

describe('the monitor, under random faults and overlapping runs', () => {
  afterAll(() => {
    // Not vacuous: the registries had alerts to deliver.
    expect(totals.delivered).toBeGreaterThan(totals.runs);
  });

  it('delivers every due alert by the end of its day, none early, and never records one it did not deliver', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(tokenPlan, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.double({ min: 0, max: 0.35, noNaN: true }),
        async (tokens, seed, rate) => {
          let clock = START;
          const { ledger, sources, sinks, ports } = memoryPorts(() => clock);
          let state = seed;
          const random = () => {
            state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
            return state / 2 ** 31;
          };
          let faulty = false;
          const fault: MemoryFault = () => {
            if (!faulty || random() >= rate) return undefined;
            return random() < 0.7 ? 'before' : 'after';
          };
          ledger.fault = fault;
          sinks.fault = fault;
          sources.fault = fault;
          sinks.entryFault = () => faulty && random() < rate / 2;
          /** First day each alert was delivered, per channel. */
          const seen = { sns: new Map<string, number>(), events: new Map<string, number>() };
          const record = (day: number) => {
            for (const m of sinks.received.sns.splice(0))
              for (const a of delivered(m.payload)) if (!seen.sns.has(key(a))) seen.sns.set(key(a), day);
            for (const p of sinks.received.events.splice(0))
              for (const a of delivered(p)) if (!seen.events.has(key(a))) seen.events.set(key(a), day);
          };
          const both = (k: string) => seen.sns.has(k) && seen.events.has(k);
          const problems: string[] = [];

          // No state says an alert went out that was not delivered on both channels.
          const stateBehindDelivery = (day: number, registry: Map<string, string>) => {
            for (const [name] of registry) {
              const stored = ledger.states.get(`token/${name}`);
              if (!stored) continue;
              const s = parseTokenState(stored);
              const date = s.expiresAt?.slice(0, 10) ?? null;
              if (
                s.expiredAlerted &&
                !both(key({ tokenName: name, alertType: 'expired', threshold: 0, expiryDate: date }))
              )
                problems.push(`day ${day}: ${name} recorded expired in ${date} without the alert`);
              else if (!s.expiredAlerted && s.alertedThresholds.length > 0) {
                const t = Math.min(...s.alertedThresholds);
                if (
                  !both(key({ tokenName: name, alertType: 'expiry-warning', threshold: t, expiryDate: date }))
                )
                  problems.push(`day ${day}: ${name} recorded ${t}-day in ${date} without the alert`);
              }
              const invalid = key({
                tokenName: name,
                alertType: 'invalid-registration',
                threshold: null,
                expiryDate: null,
              });
              if (s.invalid && !both(invalid))
                problems.push(`day ${day}: ${name} recorded invalid without the alert`);
            }
          };

          for (let day = 0; day < DAYS; day++) {
            const at = addDays(START, day);
            const registry = registryOn(tokens, day);
            for (const [name, value] of registry) {
              const current = sources.parameters.get(`${PREFIX}${name}`);
              if (current?.value !== value) sources.put(`${PREFIX}${name}`, value, 'String', at);
            }
            const mode: InvocationMode = { kind: 'scheduled', at, dryRun: false };
            // Faulty invocations, some overlapping (a duplicate delivery), some Lambda retries.
            faulty = true;
            const overlapping = 1 + Math.floor(random() * 3);
            clock = new Date(at.getTime() + 1_000);
            await Promise.all(
              Array.from({ length: overlapping }, (_, i) =>
                runMonitor(
                  config,
                  mode,
                  { owner: `d${day}-${i}`, leaseUntil: new Date(clock.getTime() + 360_000) },
                  ports,
                ).catch(() => undefined),
              ),
            );
            record(day);
            stateBehindDelivery(day, registry);
            // The day's last run meets no fault: Lambda's retry, after the failed ones' leases.
            faulty = false;
            clock = new Date(at.getTime() + 3_600_000);
            await runMonitor(
              config,
              mode,
              { owner: `d${day}-0`, leaseUntil: new Date(clock.getTime() + 360_000) },
              ports,
            );
            record(day);
            stateBehindDelivery(day, registry);

            // Every due alert by the end of the day; nothing before its day.
            for (const [name, value] of registry) {
              if (value.includes('2027-02-30')) {
                const invalid = key({
                  tokenName: name,
                  alertType: 'invalid-registration',
                  threshold: null,
                  expiryDate: null,
                });
                if (!both(invalid)) problems.push(`day ${day}: ${name} not reported invalid`);
                continue;
              }
              const { createdAt, validityDays } = JSON.parse(value) as {
                createdAt: string;
                validityDays: number;
              };
              const expires = addDays(new Date(`${createdAt}T00:00:00Z`), validityDays);
              const date = isoDate(expires);
              const left = daysRemaining(expires, at);
              const due =
                at.getTime() >= expires.getTime()
                  ? { alertType: 'expired', threshold: 0 }
                  : THRESHOLDS.some((t) => left <= t)
                    ? {
                        alertType: 'expiry-warning',
                        threshold: Math.min(...THRESHOLDS.filter((t) => left <= t)),
                      }
                    : undefined;
              if (due && !both(key({ tokenName: name, ...due, expiryDate: date })))
                problems.push(
                  `day ${day}: ${name} ${due.alertType} ${due.threshold} (${date}) not delivered`,
                );
            }
          }
          for (const [k, day] of [...seen.sns, ...seen.events]) {
            const [name, type, threshold, date] = k.split(' ') as [string, string, string, string];
            if (type !== 'expiry-warning' && type !== 'expired') continue;
            const at = addDays(START, day);
            const expires = new Date(`${date}T00:00:00Z`);
            const early =
              type === 'expired'
                ? at.getTime() < expires.getTime()
                : daysRemaining(expires, at) > Number(threshold);
            if (early) problems.push(`${name} ${type} ${threshold} (${date}) delivered early on day ${day}`);
          }
          expect(problems).toEqual([]);
          totals.runs++;
          totals.delivered += seen.sns.size;
        },
      ),
      { numRuns: Number(process.env.FUZZ_RUNS ?? 40), seed: Number(process.env.FUZZ_SEED ?? 20261202) },
    );
  });
});
