/**
 * Provisioning observed, in the pure core: CloudTrail records read strictly (only SCIM calls with
 * a tenant, only the fields kept), windows folded without counting an event twice, the record
 * bounded whatever the events hold, and sentences that claim no more than the events show.
 */
import fc from 'fast-check';
import {
  DELIVERY_LAG_MS,
  EMPTY_PROVISIONING,
  foldWindow,
  nextWindow,
  parseProvisioningRecord,
  parseScimCall,
  SCIM_EVENT_SOURCE,
  type ScimCall,
} from '../../core/provisioning';
import { provisioningAlerts } from '../../core/provisioning-alerts';
import {
  provisioningLine,
  provisioningSentences,
  provisioningView,
  tokenUse,
} from '../../core/provisioning-view';

const RUNS = { numRuns: 200, seed: Number(process.env.FUZZ_SEED ?? 20261202) };
const NOW = new Date('2027-01-15T08:00:00Z');

function trail(fields: Record<string, unknown>): string {
  return JSON.stringify({
    eventSource: SCIM_EVENT_SOURCE,
    eventName: 'PatchUser',
    eventTime: '2027-01-14T14:02:11Z',
    requestParameters: { tenantId: 'tenant-123', httpBody: 'HIDDEN_DUE_TO_SECURITY_REASONS' },
    userIdentity: { accountId: '123456789012', accessKeyId: 'tok-okta' },
    ...fields,
  });
}

describe('parseScimCall', () => {
  it('keeps the instant, operation, tenant, access key and error only', () => {
    expect(
      parseScimCall(
        trail({ errorCode: 'ValidationException', errorMessage: 'Missing path in PATCH request' }),
      ),
    ).toEqual({
      at: new Date('2027-01-14T14:02:11Z'),
      operation: 'PatchUser',
      tenantId: 'tenant-123',
      accessKeyId: 'tok-okta',
      errorCode: 'ValidationException',
      errorMessage: 'Missing path in PATCH request',
    });
  });

  it('refuses what is not a SCIM call with a tenant and an instant', () => {
    expect(parseScimCall(trail({ eventSource: 'sso.amazonaws.com' }))).toBeUndefined();
    expect(parseScimCall(trail({ requestParameters: {} }))).toBeUndefined();
    expect(parseScimCall(trail({ eventTime: 'yesterday' }))).toBeUndefined();
    expect(parseScimCall('{not json')).toBeUndefined();
    expect(parseScimCall(undefined)).toBeUndefined();
  });
});

const call = (at: string, over: Partial<ScimCall> = {}): ScimCall => ({
  at: new Date(at),
  operation: 'PatchUser',
  tenantId: 'tenant-123',
  accessKeyId: 'tok-okta',
  ...over,
});

describe('windows', () => {
  it('start after the watermark, end the delivery lag before now, and look back 90 days at first', () => {
    const first = nextWindow(EMPTY_PROVISIONING, NOW);
    expect(first?.to).toEqual(new Date(NOW.getTime() - DELIVERY_LAG_MS));
    expect(first?.from).toEqual(new Date((first?.to.getTime() ?? 0) - 90 * 86_400_000));
    const after = foldWindow(EMPTY_PROVISIONING, {
      ...(first as { from: Date; to: Date }),
      calls: [],
      complete: true,
    });
    expect(nextWindow(after, new Date(NOW.getTime() + 86_400_000))?.from).toEqual(
      new Date((first?.to.getTime() ?? 0) + 1000),
    );
  });

  it('count each event once however the calls are split into runs (a property)', () => {
    const arbCall = fc.record({
      minute: fc.integer({ min: 0, max: 2 * 24 * 60 }),
      failed: fc.boolean(),
      code: fc.constantFrom('ValidationException', 'ConflictException'),
    });
    fc.assert(
      fc.property(
        fc.array(arbCall, { maxLength: 60 }),
        fc.array(fc.integer({ min: 1, max: 47 }), { maxLength: 4 }),
        (spec, hours) => {
          const start = Date.parse('2027-01-13T00:00:00Z');
          const calls = spec.map((s) =>
            call(new Date(start + s.minute * 60_000).toISOString(), s.failed ? { errorCode: s.code } : {}),
          );
          // Runs at increasing instants, then one that sees everything.
          const runs = [...new Set(hours)]
            .sort((a, b) => a - b)
            .map((h) => new Date(start + h * 3_600_000 + DELIVERY_LAG_MS));
          runs.push(new Date(start + 3 * 86_400_000));
          let record = EMPTY_PROVISIONING;
          for (const at of runs) {
            const w = nextWindow(record, at);
            if (!w) continue;
            record = foldWindow(record, {
              ...w,
              calls: calls.filter((c) => c.at >= w.from && c.at <= w.to),
              complete: true,
            });
          }
          const tenant = record.tenants['tenant-123'];
          const failures = calls.filter((c) => c.errorCode);
          const total = Object.values(tenant?.failures ?? {}).reduce((n, f) => n + f.total, 0);
          expect(total).toBe(failures.length);
          const successes = calls
            .filter((c) => !c.errorCode)
            .map((c) => c.at.toISOString())
            .sort();
          expect(tenant?.lastSuccess?.at).toBe(successes.at(-1));
          const since = failures.filter(
            (c) => !successes.length || c.at.toISOString() > (successes.at(-1) as string),
          ).length;
          expect(provisioningView(record)?.failuresSinceSuccess ?? 0).toBe(since);
        },
      ),
      RUNS,
    );
  });

  it('keep the record bounded whatever the events hold (tenants, codes, keys, message length)', () => {
    const w = nextWindow(EMPTY_PROVISIONING, NOW) as { from: Date; to: Date };
    const calls = Array.from({ length: 400 }, (_, i) =>
      call(new Date(w.to.getTime() - i * 1000).toISOString(), {
        tenantId: `tenant-${i % 20}`,
        accessKeyId: `key-${i}`,
        errorCode: `Error${i % 30}`,
        errorMessage: 'x'.repeat(5_000),
      }),
    );
    const record = foldWindow(EMPTY_PROVISIONING, { ...w, calls, complete: true });
    expect(Object.keys(record.tenants)).toHaveLength(5);
    for (const t of Object.values(record.tenants)) {
      expect(Object.keys(t.failures).length).toBeLessThanOrEqual(10);
      expect(Object.keys(t.accessKeys).length).toBeLessThanOrEqual(10);
    }
    expect(JSON.stringify(record).length).toBeLessThan(40_000);
    // And it reads back as written.
    expect(parseProvisioningRecord(JSON.stringify(record))).toEqual(record);
  });
});

describe('what people are told', () => {
  const w = nextWindow(EMPTY_PROVISIONING, NOW) as { from: Date; to: Date };
  const record = foldWindow(EMPTY_PROVISIONING, {
    ...w,
    calls: [
      call('2027-01-14T14:02:11Z'),
      call('2027-01-14T16:00:00Z', {
        errorCode: 'ValidationException',
        errorMessage: 'Missing path in PATCH request',
      }),
    ],
    complete: true,
  });
  const view = provisioningView(record) as NonNullable<ReturnType<typeof provisioningView>>;

  it('the status line: last success, failures since by code', () => {
    expect(provisioningLine(view)).toBe(
      'provisioning: last success 2027-01-14 14:02 UTC (PatchUser); 1 failed call since: ValidationException ×1 ("Missing path in PATCH request")',
    );
    expect(provisioningLine({ ...view, partial: true })).toContain('at least 1 failed call');
  });

  it('a token is in use only when its registered ID is an access key ID of the calls', () => {
    expect(tokenUse(view, { tokenId: 'tok-okta' }).lastUsed).toBe('2027-01-14T16:00:00.000Z');
    expect(tokenUse(view, { tokenId: 'other' }).lastUsed).toBeUndefined();
    expect(tokenUse(view, {}).lastUsed).toBeUndefined();
  });

  it('a rotation says whether the identity provider has used a token created since', () => {
    const created = { createdAt: new Date('2027-01-14T15:00:00Z') };
    expect(provisioningSentences('token-rotated', view, created, NOW).join(' ')).toContain(
      'No successful SCIM call was seen since this token was created',
    );
    expect(
      provisioningSentences('token-rotated', view, { createdAt: new Date('2027-01-14T12:00:00Z') }, NOW).join(
        ' ',
      ),
    ).toContain(
      'Successful SCIM calls were seen since this token was created, the latest at 2027-01-14 14:02 UTC',
    );
    expect(
      provisioningSentences('token-rotated', view, { ...created, tokenId: 'tok-okta' }, NOW).join(' '),
    ).toContain("This token's ID made SCIM calls, the latest at 2027-01-14 16:00 UTC");
  });

  it('a warning says whether calls were seen recently, and silence is not called failure', () => {
    expect(provisioningSentences('expiry-warning', view, undefined, NOW)[0]).toMatch(
      /^SCIM calls were seen in the last 7 days/,
    );
    const later = new Date('2027-02-15T08:00:00Z');
    expect(provisioningSentences('expiry-warning', view, undefined, later)[0]).toContain(
      'may simply have had none',
    );
  });
});

describe('the opt-in provisioning alerts', () => {
  const origin = {
    region: 'eu-west-1',
    account: '123456789012',
    registryPrefix: '/scim-token-monitor/tokens/',
  };
  const w = nextWindow(EMPTY_PROVISIONING, NOW) as { from: Date; to: Date };
  const failed = (n: number, code = 'ValidationException') =>
    Array.from({ length: n }, (_, i) =>
      call(new Date(Date.parse('2027-01-14T10:00:00Z') + i * 60_000).toISOString(), {
        errorCode: `${code}${i % 7}`,
      }),
    );

  it('fail above the threshold only, once per window, with at most five codes named', () => {
    const at = (calls: ScimCall[]) =>
      provisioningAlerts({ failuresAbove: 3 }, { ...w, calls, complete: true }, undefined, NOW, origin);
    expect(at(failed(3))).toEqual([]);
    const [alert, ...rest] = at(failed(9));
    expect(rest).toEqual([]);
    expect(alert?.key).toBe(`provisioning/tenant-123/failing/${w.from.toISOString()}`);
    expect(alert?.alert).toMatchObject({ alertType: 'scim-calls-failing', severity: 'warning' });
    expect(alert?.alert.reason).toMatch(/^9 SCIM calls failed between /);
    expect(alert?.alert.reason).toContain('and 2 more error codes');
    expect(at(failed(9))[0]?.key).toBe(alert?.key);
    // A cut window says its count is a lower bound.
    const cut = provisioningAlerts(
      { failuresAbove: 3 },
      { ...w, calls: failed(9), complete: false },
      undefined,
      NOW,
      origin,
    );
    expect(cut[0]?.alert.reason).toMatch(/^at least 9 SCIM calls failed/);
  });

  it('stay silent about silence until the hours have passed, then once per silence', () => {
    const record = foldWindow(EMPTY_PROVISIONING, {
      ...w,
      calls: [call('2027-01-14T08:00:00Z')],
      complete: true,
    });
    const view = provisioningView(record);
    const silent = (now: string) =>
      provisioningAlerts({ silentHours: 48 }, undefined, view, new Date(now), origin);
    expect(silent('2027-01-16T07:59:00Z')).toEqual([]);
    const [alert] = silent('2027-01-16T08:00:00Z');
    expect(alert?.key).toBe('provisioning/tenant-123/silent/2027-01-14T08:00:00.000Z');
    expect(silent('2027-01-17T08:00:00Z')[0]?.key).toBe(alert?.key);
    // Off unless asked for.
    expect(provisioningAlerts({}, { ...w, calls: failed(50), complete: true }, view, NOW, origin)).toEqual(
      [],
    );
  });
});
