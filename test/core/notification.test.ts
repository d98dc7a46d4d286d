import { classifyMessage } from '../../core/notification';

describe('classifyMessage', () => {
  const payload = {
    schemaVersion: 1,
    alertType: 'expired',
    severity: 'critical',
    tokenName: 'okta-prod',
    daysRemaining: null,
    consoleUrl: 'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
    region: 'eu-west-1',
    evaluatedAt: '2027-01-15T08:00:00.000Z',
    instance: null,
  };

  it('recognises an alert payload', () => {
    expect(classifyMessage(JSON.stringify(payload)).kind).toBe('alert');
  });

  it.each([
    [
      'a foreign link (it would become a button)',
      { consoleUrl: 'https://evil.example/console.aws.amazon.com/' },
    ],
    ['a look-alike host', { consoleUrl: 'https://console.aws.amazon.com.evil.example/' }],
    ['a field of the wrong type', { tokenName: { toString: 1 } }],
    ['a number that is not one', { daysRemaining: '30' }],
    ['an instance that is not an object', { instance: 'arn' }],
    ['an unknown alert type', { alertType: 'pwned' }],
  ])('treats a forged payload as text, never as an alert: %s', (_why, change) => {
    const text = JSON.stringify({ ...payload, ...change });
    expect(classifyMessage(text)).toEqual({ kind: 'other', text });
  });
  it('recognises a CloudWatch alarm notification', () => {
    const m = classifyMessage(
      JSON.stringify({ AlarmName: 'a', NewStateValue: 'OK', NewStateReason: 'r', Region: 'EU (Ireland)' }),
    );
    expect(m).toEqual({
      kind: 'alarm',
      alarm: {
        alarmName: 'a',
        newState: 'OK',
        reason: 'r',
        description: '',
        region: 'EU (Ireland)',
        time: '',
      },
    });
  });
  it.each(['plain text', '[1,2]', 'null', '{"schemaVersion":2}'])(
    'keeps anything else as text: %s',
    (text) => {
      expect(classifyMessage(text)).toEqual({ kind: 'other', text });
    },
  );
});
