import { parseRegistration, type RegistryParameter } from '../../core/registration';

const prefix = '/scim-token-monitor/tokens/';
const rules = { prefix, defaultValidityDays: 365 };
const now = new Date('2026-11-23T08:00:00Z');

function param(value: string, overrides: Partial<RegistryParameter> = {}): RegistryParameter {
  return { name: `${prefix}okta-prod`, type: 'String', value, version: 3, ...overrides };
}

function reasonOf(p: RegistryParameter): string {
  const r = parseRegistration(p, rules, now);
  if (r.valid) throw new Error(`expected invalid, got expiry ${r.token.expiresAt.toISOString()}`);
  return r.invalid.reason;
}

function expiryOf(p: RegistryParameter): string {
  const r = parseRegistration(p, rules, now);
  if (!r.valid) throw new Error(`expected valid, got: ${r.invalid.reason}`);
  return r.token.expiresAt.toISOString();
}

describe('parseRegistration: valid registrations', () => {
  it('computes expiry as createdAt + the default validity', () => {
    expect(expiryOf(param('{"createdAt":"2026-01-15"}'))).toBe('2027-01-15T00:00:00.000Z');
  });

  it('uses validityDays when given', () => {
    expect(expiryOf(param('{"createdAt":"2026-01-15","validityDays":30}'))).toBe('2026-02-14T00:00:00.000Z');
  });

  it('lets expiresAt override createdAt + validity', () => {
    expect(expiryOf(param('{"createdAt":"2026-01-15","expiresAt":"2027-01-10T12:00:00Z"}'))).toBe(
      '2027-01-10T12:00:00.000Z',
    );
  });

  it('accepts expiresAt alone', () => {
    expect(expiryOf(param('{"expiresAt":"2027-01-10"}'))).toBe('2027-01-10T00:00:00.000Z');
  });

  it('accepts a bare ISO date as createdAt', () => {
    expect(expiryOf(param(' 2026-01-15\n'))).toBe('2027-01-15T00:00:00.000Z');
  });

  it('keeps offsets exact', () => {
    expect(expiryOf(param('{"createdAt":"2026-01-15T01:00:00+02:00"}'))).toBe('2027-01-14T23:00:00.000Z');
  });

  it('names the token after the prefix, keeping sub-paths', () => {
    const r = parseRegistration(param('2026-01-15', { name: `${prefix}prod/okta` }), rules, now);
    expect(r.valid && r.token.name).toBe('prod/okta');
  });

  it('keeps the optional fields, cleaned of control characters', () => {
    const r = parseRegistration(
      param(
        JSON.stringify({
          createdAt: '2026-01-15',
          tokenId: 'a1b2',
          identityProvider: 'Okta',
          owner: 'team\u0007 platform',
          notes: 'line1\nline2',
          instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
        }),
      ),
      rules,
      now,
    );
    expect(r.valid && r.token).toMatchObject({
      tokenId: 'a1b2',
      identityProvider: 'okta',
      owner: 'team platform',
      notes: 'line1 line2',
      instanceArn: 'arn:aws:sso:::instance/ssoins-1234567890abcdef',
    });
  });

  it('dates a SecureString by its LastModifiedDate and never looks at its value', () => {
    const r = parseRegistration(
      param('AQICAHh-ciphertext', { type: 'SecureString', lastModified: new Date('2026-03-01T10:00:00Z') }),
      rules,
      now,
    );
    expect(r.valid && r.token).toMatchObject({
      source: 'secure-string',
      createdAt: new Date('2026-03-01T10:00:00Z'),
      expiresAt: new Date('2027-03-01T10:00:00Z'),
    });
  });
});

describe('parseRegistration: invalid registrations', () => {
  it.each([
    ['malformed JSON', '{"createdAt": "2026-01-15"', 'neither an ISO date nor valid JSON'],
    ['a JSON array', '["2026-01-15"]', 'must be a JSON object, got an array'],
    ['a JSON number', '20260115', 'must be a JSON object, got a number'],
    ['JSON null', 'null', 'must be a JSON object, got null'],
    [
      'an impossible date',
      '{"createdAt":"2026-02-30"}',
      'createdAt "2026-02-30" is not a real calendar date',
    ],
    ['an impossible bare date', '2026-02-30', 'value "2026-02-30" is not a real calendar date'],
    ['year 10000', '{"createdAt":"10000-01-01"}', 'is not an ISO 8601 date'],
    ['a date in the wrong format', '{"createdAt":"15/01/2026"}', 'is not an ISO 8601 date'],
    ['a zone-less date-time', '{"createdAt":"2026-01-15T10:00:00"}', 'without a time zone'],
    ['createdAt of the wrong type', '{"createdAt":20260115}', 'createdAt must be a string, got a number'],
    ['createdAt in the future', '{"createdAt":"2026-11-24"}', 'is in the future'],
    ['a bare date in the future', '2027-01-01', 'is in the future'],
    ['no date at all', '{"tokenId":"x"}', 'createdAt is required'],
    ['validityDays of 0', '{"createdAt":"2026-01-15","validityDays":0}', 'outside 1..366'],
    [
      'validityDays of 3651',
      '{"createdAt":"2026-01-15","validityDays":3651}',
      'outside 1..366: IAM Identity Center issues SCIM tokens for one year',
    ],
    [
      'expiresAt ten years on',
      '{"createdAt":"2026-01-15","expiresAt":"2036-01-15"}',
      'more than 366 days after createdAt: IAM Identity Center',
    ],
    ['expiresAt alone, ten years away', '{"expiresAt":"2036-01-15"}', 'more than 366 days after today'],
    ['validityDays as a string', '{"createdAt":"2026-01-15","validityDays":"365"}', 'must be a whole number'],
    ['fractional validityDays', '{"createdAt":"2026-01-15","validityDays":36.5}', 'must be a whole number'],
    ['expiresAt before createdAt', '{"createdAt":"2026-01-15","expiresAt":"2026-01-01"}', 'after createdAt'],
    ['a misspelt field', '{"createdAt":"2026-01-15","expiresOn":"2027-01-01"}', 'unknown field "expiresOn"'],
    [
      'owner of the wrong type',
      '{"createdAt":"2026-01-15","owner":["a"]}',
      'owner must be a string, got an array',
    ],
    [
      'a bad instance ARN',
      '{"createdAt":"2026-01-15","instanceArn":"ssoins-1"}',
      'not an IAM Identity Center instance ARN',
    ],
    ['an empty value', '   ', 'value is empty'],
    ['100 KB of text', 'x'.repeat(100_000), 'longer than 8192 characters'],
    [
      'notes over 1024 characters',
      JSON.stringify({ createdAt: '2026-01-15', notes: 'n'.repeat(1025) }),
      'notes is longer',
    ],
  ])('reports %s', (_label, value, reason) => {
    expect(reasonOf(param(value))).toContain(reason);
  });

  it('reports an unsupported parameter type', () => {
    expect(reasonOf(param('a,b', { type: 'StringList' }))).toContain(
      'parameter type "StringList" is not supported',
    );
  });

  it('reports a SecureString without a modification date', () => {
    expect(reasonOf(param('', { type: 'SecureString' }))).toContain('no LastModifiedDate');
  });

  it('never echoes more than a short excerpt of a hostile value', () => {
    const reason = reasonOf(
      param(JSON.stringify({ createdAt: `2026-01-15${'\u0000<!channel>'.repeat(500)}` })),
    );
    expect(reason.length).toBeLessThan(160);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(reason).not.toMatch(/[\u0000-\u001f]/);
  });

  it('keeps the parameter name and version for the one-alert-per-version rule', () => {
    const r = parseRegistration(param('nope', { version: 7 }), rules, now);
    expect(r).toEqual({
      valid: false,
      invalid: {
        name: 'okta-prod',
        parameterName: `${prefix}okta-prod`,
        version: 7,
        revision: '7',
        reason: expect.any(String),
      },
    });
  });
});
