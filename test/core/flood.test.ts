/** Flood control and bounded messages (core/flood.ts, core/digest.ts, core/envelope.ts). */
import fc from 'fast-check';
import type { Alert } from '../../core/alert';
import { digestLines, entryOf, omittedLine } from '../../core/digest';
import {
  EVENTS_MAX_BYTES,
  eventBytes,
  eventEntry,
  MESSAGE_BUDGET_BYTES,
  SNS_MAX_BYTES,
  snsBytes,
  snsEnvelope,
} from '../../core/envelope';
import { payloadOf } from '../../core/fields';
import { byUrgency, composeMessages, digestKey, renderMessage } from '../../core/flood';
import { renderAlert } from '../../core/messages';
import type { PlannedAlert } from '../../core/plan';
import type { Severity } from '../../core/severity';

const NOW = new Date('2026-12-16T08:00:00Z');
const ORIGIN = {
  region: 'eu-west-1',
  registryPrefix: '/scim-token-monitor/tokens/',
  account: '123456789012',
};
const CONSOLE = 'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1';

function planned(
  name: string,
  severity: Severity,
  days: number | undefined,
  extra: Partial<Alert> = {},
): PlannedAlert {
  const expiresAt = days === undefined ? undefined : new Date(NOW.getTime() + days * 86_400_000);
  return {
    key: `token/${name}#${days}`,
    alert: {
      alertType: days === undefined ? 'invalid-registration' : 'expiry-warning',
      severity,
      evaluatedAt: NOW,
      tokenName: name,
      parameterName: `/scim-token-monitor/tokens/${name}`,
      ...(expiresAt
        ? {
            daysRemaining: days,
            threshold: days,
            token: {
              name,
              parameterName: `/scim-token-monitor/tokens/${name}`,
              version: 1,
              revision: '1',
              source: 'json' as const,
              expiresAt,
              expiryExplicit: false,
              validityDays: 365,
            },
          }
        : { reason: 'value is neither an ISO date nor valid JSON', parameterVersion: 1 }),
      consoleUrl: CONSOLE,
      ...ORIGIN,
      ...extra,
    },
  };
}

describe('composeMessages', () => {
  it('sends each alert alone up to the cap', () => {
    const alerts = [planned('a', 'info', 60), planned('b', 'warning', 30)];
    expect(composeMessages(alerts, 2, NOW, ORIGIN).map((m) => m.keys)).toEqual([
      ['token/b#30'],
      ['token/a#60'],
    ]);
  });

  it('past the cap, sends critical ones alone and the others as one digest per severity', () => {
    const alerts = [
      planned('p', 'critical', 7),
      ...['a', 'b', 'c'].map((n) => planned(n, 'warning', 30)),
      ...['d', 'e'].map((n) => planned(n, 'info', 60)),
    ];
    const messages = composeMessages(alerts, 3, NOW, ORIGIN);
    expect(messages.map((m) => [m.alert.alertType, m.alert.severity, m.keys.length])).toEqual([
      ['expiry-warning', 'critical', 1],
      ['digest', 'warning', 3],
      ['digest', 'info', 2],
    ]);
    // A digest has its own key, the same for the same members in any order.
    expect(messages[1]?.key).toBe(digestKey(['token/c#30', 'token/a#30', 'token/b#30']));
  });

  it('never sends more than the cap alone, critical included', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom<Severity>('info', 'warning', 'critical'), { maxLength: 60 }),
        fc.integer({ min: 1, max: 12 }),
        (severities, cap) => {
          const alerts = severities.map((s, i) => planned(`t${i}`, s, 7 + i));
          const messages = composeMessages(alerts, cap, NOW, ORIGIN);
          const alone = messages.filter((m) => m.alert.alertType !== 'digest');
          expect(alone.length).toBeLessThanOrEqual(cap);
          // Every alert is in exactly one message.
          expect(messages.flatMap((m) => m.keys).sort()).toEqual(alerts.map((a) => a.key).sort());
        },
      ),
    );
  });

  it('puts a token about to expire before alerts about no expiry', () => {
    const sorted = [planned('bad', 'warning', undefined), planned('okta', 'warning', 30)].sort(byUrgency);
    expect(sorted.map((a) => a.alert.tokenName)).toEqual(['okta', 'bad']);
  });
});

describe('bounded messages', () => {
  // Names as long as SSM allows under the prefix, free text at its caps.
  const longName = fc.string({ minLength: 1, maxLength: 980, unit: 'grapheme' });

  it('fits every message of any digest within the budget, and counts what it does not show', () => {
    fc.assert(
      fc.property(fc.array(longName, { minLength: 2, maxLength: 300, size: 'large' }), (names) => {
        const alerts = names.map((n, i) => planned(`${n}${i}`, 'warning', i % 40));
        const [message] = composeMessages(alerts, 1, NOW, ORIGIN);
        if (!message) throw new Error('no message');
        const rendered = renderMessage(message);
        expect(snsBytes(snsEnvelope(rendered))).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
        expect(rendered.subject.length).toBeLessThanOrEqual(99);
        expect(rendered.subject).toMatch(/^[\x20-\x7e]+$/);
        const shown = rendered.payload.digest?.length ?? 0;
        expect(shown + (rendered.payload.digestOmitted ?? 0)).toBe(alerts.length);
        if (rendered.payload.digestOmitted)
          expect(rendered.text).toContain(`and ${rendered.payload.digestOmitted} more`);
      }),
      { numRuns: 25 },
    );
  });

  it('cuts a digest of 300 names of 980 characters to fit, and counts the rest', () => {
    const alerts = Array.from({ length: 300 }, (_, i) =>
      planned(`${'n'.repeat(977)}${String(i).padStart(3, '0')}`, 'warning', 30),
    );
    const [message] = composeMessages(alerts, 1, NOW, ORIGIN);
    const rendered = renderMessage(message as NonNullable<typeof message>);
    expect(snsBytes(snsEnvelope(rendered))).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
    expect(rendered.payload.digestOmitted).toBeGreaterThan(250);
    expect((rendered.payload.digest?.length ?? 0) + (rendered.payload.digestOmitted ?? 0)).toBe(300);
    expect(renderAlert(message?.alert as Alert).subject).toBe(
      '[WARNING] 123456789012: SCIM token monitor: 300 token alerts due (digest)',
    );
  });

  it('keeps a single alert within the budget on SNS and EventBridge whatever its fields hold', () => {
    fc.assert(
      fc.property(
        longName,
        fc.string({ maxLength: 1024 }),
        fc.string({ maxLength: 256 }),
        (name, notes, owner) => {
          const a = planned(name, 'critical', 1);
          const alert = {
            ...a.alert,
            token: {
              ...(a.alert.token as NonNullable<Alert['token']>),
              notes,
              owner,
              tokenId: 'x'.repeat(128),
            },
          };
          const rendered = renderAlert(alert);
          expect(snsBytes(snsEnvelope(rendered))).toBeLessThanOrEqual(MESSAGE_BUDGET_BYTES);
          expect(eventBytes(eventEntry(payloadOf(alert), 'default', NOW))).toBeLessThanOrEqual(
            MESSAGE_BUDGET_BYTES,
          );
        },
      ),
      { numRuns: 50 },
    );
    expect(MESSAGE_BUDGET_BYTES).toBeLessThan(Math.min(SNS_MAX_BYTES, EVENTS_MAX_BYTES));
  });

  it('counts bytes as SNS and EventBridge do', () => {
    expect(
      snsBytes({
        Message: 'é',
        Subject: 'ab',
        MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } },
      }),
    ).toBe(2 + 2 + 1 + 6 + 1);
    expect(eventBytes({ Source: 's', DetailType: 'dt', Detail: '{}' })).toBe(14 + 1 + 2 + 2);
  });
});

describe('digest lines', () => {
  it('say what each alert is, and count the rest', () => {
    const entry = entryOf(planned('okta', 'warning', 30).alert);
    expect(entry).toEqual({
      tokenName: 'okta',
      alertType: 'expiry-warning',
      severity: 'warning',
      daysRemaining: 30,
      threshold: 30,
      expiryDate: '2027-01-15',
    });
    expect(
      digestLines(
        [entry, { ...entry, tokenName: null, daysRemaining: -2 }],
        (v) => v,
        (v) => v,
      ),
    ).toEqual([
      '- okta: expiry-warning (warning), expires in 30 day(s) on 2027-01-15',
      '- (monitor): expiry-warning (warning), expired 2 day(s) ago on 2027-01-15',
    ]);
    expect(omittedLine(0)).toEqual([]);
    expect(omittedLine(3)).toEqual(['- and 3 more: run `scim-token-monitor status` to see every token.']);
  });
});
