import { expiryFromDescription, type HealthRecord, parseHealthEvent, reconcile } from '../../core/health';
import { renderAlert } from '../../core/messages';
import type { Token } from '../../core/registration';
import fixture from '../fixtures/health-scim-expiry.json';

const reportedAt = new Date('2026-10-18T09:00:00Z');
const context = {
  region: 'eu-west-1',
  account: '123456789012',
  registryPrefix: '/scim-token-monitor/tokens/',
};

function token(name: string, expiresAt: string): Token {
  return {
    name,
    parameterName: `/scim-token-monitor/tokens/${name}`,
    version: 1,
    revision: '1',
    source: 'json',
    expiresAt: new Date(expiresAt),
    expiryExplicit: false,
    validityDays: 365,
  };
}

describe('expiryFromDescription', () => {
  it.each([
    ['expires in 89 days on Fri Jan 15 10:30:00 UTC 2027.', '2027-01-15T10:30:00.000Z'],
    ['expires on Jan 15 10:30:00 UTC 2027', '2027-01-15T10:30:00.000Z'],
    ['expires on 2027-01-15T10:30:00Z', '2027-01-15T10:30:00.000Z'],
    ['expires on 2027-01-15.', '2027-01-15T00:00:00.000Z'],
    ['expires on January 15, 2027.', '2027-01-15T00:00:00.000Z'],
    ['expires on 15 January 2027.', '2027-01-15T00:00:00.000Z'],
    ['The token expires in 89 days.', '2027-01-15T00:00:00.000Z'],
  ])('%s', (text, expected) => {
    expect(expiryFromDescription(text, reportedAt)?.toISOString()).toBe(expected);
  });

  it.each(['expires soon', 'on Feb 30 10:00:00 UTC 2027', ''])('finds nothing in %j', (text) => {
    expect(expiryFromDescription(text, reportedAt)).toBeUndefined();
  });
});

describe('parseHealthEvent', () => {
  it('reads the documented AWS Health Event envelope', () => {
    const parsed = parseHealthEvent(fixture);
    expect(parsed).toMatchObject({
      ok: true,
      notice: {
        eventArn: fixture.detail.eventArn,
        expiresAt: new Date('2027-01-15T10:30:00Z'),
        account: '123456789012',
        region: 'eu-west-1',
      },
    });
    expect(parsed.ok && parsed.notice.description).toContain('expires in 89 days');
  });

  it.each([
    [{}, 'not an AWS Health event'],
    [{ ...fixture, source: 'aws.events' }, 'not an AWS Health event'],
    [
      { ...fixture, detail: { ...fixture.detail, eventTypeCode: 'AWS_EC2_SYSTEM_MAINTENANCE_EVENT' } },
      'unexpected event type',
    ],
    [{ ...fixture, detail: { ...fixture.detail, eventArn: 7 } }, 'no eventArn'],
    [null, 'not an AWS Health event'],
  ])('rejects a malformed event: %#', (event, reason) => {
    const parsed = parseHealthEvent(event);
    expect(parsed.ok ? '' : parsed.reason).toContain(reason);
  });

  it('keeps an event whose description has no date, with no expiry', () => {
    const event = {
      ...fixture,
      detail: {
        ...fixture.detail,
        eventDescription: [{ language: 'en_US', latestDescription: 'Your token expires soon.' }],
      },
    };
    const parsed = parseHealthEvent(event);
    expect(parsed.ok && parsed.notice.expiresAt).toBeUndefined();
  });
});

describe('reconcile', () => {
  const notice = {
    eventArn: 'arn:e',
    description: 'AWS says so',
    reportedAt,
    expiresAt: new Date('2027-01-15T10:30:00Z'),
  };
  const now = new Date('2026-10-18T09:00:00Z');

  it('confirms a registered token whose expiry falls on the announced day (or within 12 hours of it)', () => {
    const d = reconcile(
      notice,
      [token('other', '2027-06-01T00:00:00Z'), token('okta-prod', '2027-01-15T00:00:00Z')],
      undefined,
      now,
      context,
    );
    expect(d).toEqual({
      changed: true,
      record: expect.objectContaining({
        expiryDate: '2027-01-15',
        matchedToken: 'okta-prod',
        alertedSeverity: null,
      }),
    });
    // Registered in a time zone ahead of UTC: 11.5 hours before the announced instant.
    expect(
      reconcile(notice, [token('okta-prod', '2027-01-14T23:00:00Z')], undefined, now, context).record
        .matchedToken,
    ).toBe('okta-prod');
    // A token expiring the day before may be another token: it must not hide the announced one.
    const dayBefore = reconcile(
      notice,
      [token('okta-prod', '2027-01-14T00:00:00Z')],
      undefined,
      now,
      context,
    );
    expect(dayBefore.record.matchedToken).toBeNull();
    expect(dayBefore.alert?.alertType).toBe('unregistered-token');
    expect(
      reconcile(notice, [token('okta-prod', '2027-01-17T00:00:00Z')], undefined, now, context).record
        .matchedToken,
    ).toBeNull();
  });

  it('alerts once for an unregistered token, and the repeated notice changes nothing', () => {
    const first = reconcile(notice, [], undefined, now, context);
    expect(first.alert).toMatchObject({
      alertType: 'unregistered-token',
      severity: 'warning',
      daysRemaining: 89,
    });
    const again = reconcile(notice, [], first.record, new Date('2026-10-25T09:00:00Z'), context);
    expect(again).toEqual({ changed: false, record: first.record });
  });

  it("never escalates: the adopted token's own 30 and 7-day alerts follow instead", () => {
    const record: HealthRecord = {
      expiryDate: '2027-01-15',
      eventArn: 'arn:e',
      matchedToken: null,
      alertedSeverity: 'warning',
      firstSeen: now.toISOString(),
    };
    const later = reconcile(notice, [], record, new Date('2026-12-20T09:00:00Z'), context);
    expect(later.alert).toBeUndefined();
  });

  it('renders an unregistered-token alert that says what to do', () => {
    const { alert } = reconcile(notice, [], undefined, now, context);
    const rendered = renderAlert(alert as NonNullable<typeof alert>);
    expect(rendered.subject).toBe(
      '[WARNING] 123456789012: Unregistered SCIM token expires in 89 days (2027-01-15 10:30 UTC)',
    );
    expect(rendered.text).toContain('scim-token-monitor register <name> --expires-at 2027-01-15');
    expect(rendered.text).toContain('AWS Health said: AWS says so');
    expect(rendered.payload).toMatchObject({
      alertType: 'unregistered-token',
      expiryDate: '2027-01-15',
      tokenName: null,
    });
    expect(rendered.chatbot.content.title).toContain(
      'AWS Health: an unregistered SCIM token expires in 89 days',
    );
  });
});
