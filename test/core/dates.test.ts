import { addDays, daysRemaining, isoDate, parseIsoInstant } from '../../core/dates';

const at = (iso: string) => new Date(iso);

describe('parseIsoInstant', () => {
  it.each([
    ['2026-01-15', '2026-01-15T00:00:00.000Z', true],
    ['2024-02-29', '2024-02-29T00:00:00.000Z', true],
    ['2026-01-15T10:30:00Z', '2026-01-15T10:30:00.000Z', false],
    ['2026-01-15T10:30Z', '2026-01-15T10:30:00.000Z', false],
    ['2026-01-15T10:30:00.123456Z', '2026-01-15T10:30:00.123Z', false],
    ['2026-01-15T01:30:00+02:00', '2026-01-14T23:30:00.000Z', false],
    ['2026-01-14T23:30:00-05:30', '2026-01-15T05:00:00.000Z', false],
  ])('accepts %s as %s', (text, expected, dateOnly) => {
    // Act
    const parsed = parseIsoInstant(text);
    // Assess
    expect(parsed).toEqual({ ok: true, instant: new Date(expected), dateOnly });
  });

  it.each([
    ['2026-02-30', 'not a real calendar date'],
    ['2025-02-29', 'not a real calendar date'],
    ['2026-13-01', 'not a real calendar date'],
    ['2026-00-10', 'not a real calendar date'],
    ['2026-01-15T10:30:00', 'without a time zone'],
    ['2026-01-15T24:00:00Z', 'impossible time of day'],
    ['2026-01-15T10:60:00Z', 'impossible time of day'],
    ['2026-01-15T10:00:00+15:00', 'impossible UTC offset'],
    ['10000-01-01', 'not an ISO 8601 date'],
    ['1969-12-31', 'before 1970'],
    ['15/01/2026', 'not an ISO 8601 date'],
    ['2026-W03', 'not an ISO 8601 date'],
    ['20260115', 'not an ISO 8601 date'],
    ['2026-1-5', 'not an ISO 8601 date'],
    ['', 'not an ISO 8601 date'],
  ])('rejects %s (%s)', (text, reason) => {
    const parsed = parseIsoInstant(text);
    expect(parsed.ok).toBe(false);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });
});

describe('daysRemaining', () => {
  it.each([
    // The issue's own example: 60 days on 2026-11-16 for an expiry of 2027-01-15.
    ['2027-01-15T00:00:00Z', '2026-11-16T00:00:00Z', 60],
    ['2027-01-15T00:00:00Z', '2026-11-16T23:59:59Z', 60],
    ['2027-01-15T23:00:00Z', '2026-11-16T00:00:01Z', 60],
    ['2027-01-15T00:00:00Z', '2027-01-15T00:00:00Z', 0],
    ['2027-01-15T00:00:00Z', '2027-01-16T09:00:00Z', -1],
    // Across a leap day.
    ['2028-03-01T00:00:00Z', '2028-02-28T12:00:00Z', 2],
    ['2027-03-01T00:00:00Z', '2027-02-28T12:00:00Z', 1],
    // An offset expiry counts on the UTC calendar: 01:00+02:00 on the 15th is 23:00Z on the 14th.
    ['2027-01-15T01:00:00+02:00', '2027-01-14T08:00:00Z', 0],
  ])('from %s, on %s: %i days', (expiry, now, days) => {
    expect(daysRemaining(at(expiry), at(now))).toBe(days);
  });

  it('adds whole days, so 365 days after a leap-year creation lands on the same calendar day minus one', () => {
    expect(isoDate(addDays(at('2028-01-15T00:00:00Z'), 365))).toBe('2029-01-14');
    expect(isoDate(addDays(at('2026-01-15T00:00:00Z'), 365))).toBe('2027-01-15');
  });
});
