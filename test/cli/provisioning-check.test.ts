/**
 * `doctor`'s Provisioning check: what the events show, and a warning when reading them stopped,
 * since a run succeeds without it and nothing else would say so.
 */
import { provisioningCheck } from '../../cli/doctor';
import { EMPTY_PROVISIONING, foldWindow, nextWindow } from '../../core/provisioning';
import { provisioningView } from '../../core/provisioning-view';

const NOW = new Date('2027-01-15T08:00:00Z');
const call = (at: string, errorCode?: string) => ({
  at: new Date(at),
  operation: 'PatchUser',
  tenantId: 'tenant-123',
  ...(errorCode ? { errorCode } : {}),
});
function viewAt(now: Date, calls: ReturnType<typeof call>[]) {
  const w = nextWindow(EMPTY_PROVISIONING, now) as { from: Date; to: Date };
  return provisioningView(foldWindow(EMPTY_PROVISIONING, { ...w, calls, complete: true }));
}

it('is ok while calls succeed, and warns while calls fail since the last success', () => {
  expect(provisioningCheck(true, viewAt(NOW, [call('2027-01-14T10:00:00Z')]), NOW, NOW)).toMatchObject({
    verdict: 'ok',
    detail: 'last success 2027-01-14 10:00 UTC (PatchUser)',
  });
  const failing = viewAt(NOW, [
    call('2027-01-14T10:00:00Z'),
    call('2027-01-14T11:00:00Z', 'ValidationException'),
  ]);
  expect(provisioningCheck(true, failing, NOW, NOW)?.verdict).toBe('warn');
});

it('warns when runs succeed but nothing was ever recorded, or the record went stale', () => {
  expect(provisioningCheck(true, undefined, NOW, NOW)).toMatchObject({
    verdict: 'warn',
    detail: expect.stringContaining('cloudtrail:LookupEvents fails'),
  });
  const old = viewAt(new Date('2027-01-12T08:00:00Z'), [call('2027-01-11T10:00:00Z')]);
  expect(provisioningCheck(true, old, NOW, NOW)).toMatchObject({
    verdict: 'warn',
    detail: expect.stringMatching(/^CloudTrail not read since 2027-01-12 07:45 UTC/),
  });
});

it('says nothing where provisioning is not observed, or no run has happened yet', () => {
  expect(provisioningCheck(false, undefined, NOW, NOW)).toBeUndefined();
  expect(provisioningCheck(true, undefined, undefined, NOW)).toBeUndefined();
});
