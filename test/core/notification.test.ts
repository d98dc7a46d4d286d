import { classifyMessage } from '../../lambda/core/notification';

describe('classifyMessage', () => {
  it('recognises an alert payload', () => {
    const m = classifyMessage(
      JSON.stringify({
        schemaVersion: 1,
        alertType: 'expired',
        severity: 'critical',
        consoleUrl: 'https://x',
      }),
    );
    expect(m.kind).toBe('alert');
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
