import type { Alert } from '../../core/alert';
import { chatbotNotification } from '../../core/chat';
import { MAX_SUBJECT_CHARS, renderAlert } from '../../core/messages';
import type { Token } from '../../core/registration';

const prefix = '/scim-token-monitor/tokens/';
const token: Token = {
  name: 'okta-prod',
  parameterName: `${prefix}okta-prod`,
  version: 2,
  revision: '2',
  source: 'json',
  createdAt: new Date('2026-01-15T00:00:00Z'),
  expiresAt: new Date('2027-01-15T00:00:00Z'),
  expiryExplicit: false,
  validityDays: 365,
  tokenId: '8c2f0a1e-token',
  identityProvider: 'okta',
  owner: 'platform-team@example.com',
};
const instance = {
  instanceArn: 'arn:aws:sso:::instance/ssoins-1111111111111111',
  identityStoreId: 'd-1234567890',
};

function warning(overrides: Partial<Alert> = {}): Alert {
  return {
    alertType: 'expiry-warning',
    severity: 'critical',
    evaluatedAt: new Date('2027-01-08T08:00:00Z'),
    tokenName: token.name,
    parameterName: token.parameterName,
    parameterVersion: 2,
    token,
    daysRemaining: 7,
    threshold: 7,
    next: { expired: token.expiresAt },
    instance,
    consoleUrl: 'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
    account: '123456789012',
    region: 'eu-west-1',
    registryPrefix: prefix,
    ...overrides,
  };
}

describe('renderAlert', () => {
  it('keeps only the console link live in the e-mail: URLs in owner, notes and reasons are defanged', () => {
    const { text } = renderAlert(
      warning({
        token: { ...token, owner: 'https://evil.example/owner', notes: 'Rotate at www.evil.example/rotate' },
      }),
    );
    const urls = text.match(/https?:\/\/\S+/g) ?? [];
    expect(urls.length).toBeGreaterThan(0);
    expect(
      urls.every(
        (u) => u.startsWith('https://') && /console\.aws\.amazon\.com|docs\.aws\.amazon\.com/.test(u),
      ),
    ).toBe(true);
    expect(text).toContain('https[:]//evil[.]example/owner');
    expect(text).toContain('www[.]evil[.]example/rotate');
  });

  it('writes the subject on-call staff scan first', () => {
    expect(renderAlert(warning()).subject).toBe(
      '[CRITICAL] 123456789012: SCIM token okta-prod expires in 7 days (2027-01-15 00:00 UTC)',
    );
    expect(renderAlert(warning({ daysRemaining: 1 })).subject).toContain('expires in 1 day (');
    expect(renderAlert(warning({ daysRemaining: 0 })).subject).toContain('expires today (');
    expect(renderAlert(warning({ alertType: 'expired', daysRemaining: -1, threshold: 0 })).subject).toBe(
      '[CRITICAL] 123456789012: SCIM token okta-prod has EXPIRED (2027-01-15 00:00 UTC)',
    );
  });

  it('keeps every subject ASCII and under 100 characters, whatever the token name', () => {
    const long = `prod/${'very-long-name-'.repeat(40)}`;
    for (const alertType of ['expiry-warning', 'expired', 'invalid-registration', 'no-tokens'] as const) {
      const { subject } = renderAlert(warning({ alertType, tokenName: `${long}é😀` }));
      expect(subject.length).toBeLessThanOrEqual(MAX_SUBJECT_CHARS);
      expect(subject).toMatch(/^[\x20-\x7e]+$/);
    }
  });

  it('tells the reader what to do, in order, with the provider-specific place to paste the token', () => {
    const { text } = renderAlert(warning());
    const steps = [
      'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
      'Settings > Identity source > Actions > Manage provisioning > Access tokens',
      'At most two tokens can exist at once',
      'Provisioning > Integration > Edit. Paste it into API Token, click Test API Credentials',
      'Confirm provisioning works with the new token',
      'aws ssm put-parameter --overwrite --type String --region eu-west-1 --name /scim-token-monitor/tokens/okta-prod',
      'npx scim-token-monitor register okta-prod --overwrite --created-at today --token-id <new token ID> --region eu-west-1',
      'Only now delete the old token (token ID 8c2f0a1e-token)',
    ];
    const positions = steps.map((s) => text.indexOf(s));
    expect(positions.every((p) => p >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);
    expect(text).toContain('expires in 7 days, at 2027-01-15 00:00 UTC');
    expect(text).toContain('identity store d-1234567890');
    expect(text).toContain('123456789012 / eu-west-1');
  });

  it('gives Entra ID its own steps and unknown providers the generic ones', () => {
    const entra = renderAlert(warning({ token: { ...token, identityProvider: 'azure-ad' } })).text;
    expect(entra).toContain('Admin Credentials. Paste it into Secret Token, click Test Connection');
    const other = renderAlert(warning({ token: { ...token, identityProvider: 'acme-idp' } })).text;
    expect(other).toContain('bearer/API token field');
  });

  it('says how to confirm provisioning works with the new token, per identity provider', () => {
    const okta = renderAlert(warning()).text;
    expect(okta).toMatch(/4\. Confirm provisioning works with the new token\. In Okta: .*Dashboard > Tasks/);
    expect(okta).toContain('the next run of the monitor reads the new expiry');
    expect(okta).not.toContain('Recover from the outage');
    const entra = renderAlert(warning({ token: { ...token, identityProvider: 'entra-id' } })).text;
    expect(entra).toContain('Provision on demand with one test user');
  });

  it('tells an EXPIRED alert how to recover from the outage, and shows no days remaining', () => {
    const { text, subject } = renderAlert(
      warning({
        alertType: 'expired',
        threshold: 0,
        daysRemaining: undefined,
        next: undefined,
        token: { ...token, identityProvider: 'entra-id' },
      }),
    );
    expect(subject).toBe('[CRITICAL] 123456789012: SCIM token okta-prod has EXPIRED (2027-01-15 00:00 UTC)');
    expect(text).toMatch(
      /7\. Recover from the outage\. In Microsoft Entra ID: .*quarantine.*Restart provisioning/,
    );
    expect(text).toContain('people who left still have AWS access');
    expect(text).not.toContain('Days remaining');
    const reminder = renderAlert(
      warning({ alertType: 'expired', threshold: 0, daysRemaining: undefined, next: undefined, reminder: 2 }),
    );
    expect(reminder.subject).toBe(
      '[CRITICAL] 123456789012: SCIM token okta-prod is STILL EXPIRED (since 2027-01-15 00:00 UTC)',
    );
    expect(reminder.text).toContain('Reminder 2:');
  });

  it('says when the next reminder comes', () => {
    const { text } = renderAlert(
      warning({
        severity: 'info',
        daysRemaining: 60,
        threshold: 60,
        next: { threshold: 30, date: new Date('2026-12-16T00:00:00Z') },
      }),
    );
    expect(text).toContain('next reminder (30 days) is sent on 2026-12-16');
  });

  it('tells a SecureString owner to store the new token in the parameter instead of re-registering', () => {
    const { text } = renderAlert(warning({ token: { ...token, source: 'secure-string' } }));
    expect(text).toContain('Store the new token in the SecureString parameter');
    expect(text).not.toContain('put-parameter');
  });

  it('carries the machine-readable payload and the filterable attributes', () => {
    const rendered = renderAlert(warning());
    expect(rendered.payload).toEqual({
      schemaVersion: 1,
      alertType: 'expiry-warning',
      severity: 'critical',
      tokenName: 'okta-prod',
      parameterName: `${prefix}okta-prod`,
      daysRemaining: 7,
      threshold: 7,
      expiresAt: '2027-01-15T00:00:00.000Z',
      expiryDate: '2027-01-15',
      createdAt: '2026-01-15T00:00:00.000Z',
      tokenId: '8c2f0a1e-token',
      tokenSource: 'json',
      identityProvider: 'okta',
      owner: 'platform-team@example.com',
      notes: null,
      reason: null,
      account: '123456789012',
      region: 'eu-west-1',
      instance,
      consoleUrl: 'https://console.aws.amazon.com/singlesignon/home?region=eu-west-1',
      evaluatedAt: '2027-01-08T08:00:00.000Z',
      reminder: null,
    });
    expect(rendered.attributes).toEqual({
      alertType: 'expiry-warning',
      severity: 'critical',
      tokenName: 'okta-prod',
      daysRemaining: 7,
      threshold: 7,
      owner: 'platform-team@example.com',
      identityProvider: 'okta',
    });
  });

  it('explains an invalid registration and how to fix it', () => {
    const { subject, text, attributes } = renderAlert(
      warning({
        alertType: 'invalid-registration',
        severity: 'warning',
        token: undefined,
        daysRemaining: undefined,
        threshold: undefined,
        next: undefined,
        reason: 'createdAt "2026-02-30" is not a real calendar date',
      }),
    );
    expect(subject).toBe(
      '[WARNING] 123456789012: SCIM token registration okta-prod is invalid: not monitored',
    );
    expect(text).toContain('Problem: createdAt "2026-02-30" is not a real calendar date');
    expect(text).toContain('(version 2)');
    expect(attributes).toEqual({
      alertType: 'invalid-registration',
      severity: 'warning',
      tokenName: 'okta-prod',
    });
  });

  it('strips bidi controls, the byte order mark and lone surrogates from everything it shows', () => {
    const hostile = `\ufeffokta\u202eorp-\u200fx\u2067y\u061c\ud800z \ud83d\ude80`;
    // Token names are SSM names (letters, digits, . _ - /); owner and notes are free text.
    const rendered = renderAlert(warning({ token: { ...token, owner: hostile, notes: hostile } }));
    for (const text of [rendered.subject, rendered.text, JSON.stringify(rendered.chatbot)]) {
      expect(text).not.toMatch(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff]/);
      expect(text).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])/);
    }
    // A real emoji (a valid surrogate pair) survives in the body.
    expect(rendered.text).toContain('\ud83d\ude80');
  });

  it('keeps hostile registration text on one line and free of control characters', () => {
    const { text } = renderAlert(
      warning({ token: { ...token, owner: 'evil\r\nSubject: x', notes: 'a\u0000b\u202ec' } }),
    );
    expect(text).toContain('evil Subject: x');
    // biome-ignore lint/suspicious/noControlCharactersInRegex: asserting their absence.
    expect(text).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u202e]/);
  });
});

describe('instants for people', () => {
  it("adds the schedule's time zone to the body's instants, and keeps the subject in UTC", () => {
    const { text, subject } = renderAlert(warning({ timeZone: 'America/New_York' }));
    expect(subject).toContain('(2027-01-15 00:00 UTC)');
    expect(text).toContain('at 2027-01-15 00:00 UTC (2027-01-14 19:00 EST)');
    expect(text).toMatch(/Expires:\s+2027-01-15 00:00 UTC \(2027-01-14 19:00 EST\)/);
  });

  it('says Expired, not Expires, once a token has expired', () => {
    const { text } = renderAlert(
      warning({ alertType: 'expired', threshold: 0, daysRemaining: 0, next: undefined }),
    );
    expect(text).toMatch(/^Expired:\s+2027-01-15 00:00 UTC$/m);
    expect(text).not.toMatch(/^Expires:/m);
    const chat = chatbotNotification(
      renderAlert(warning({ alertType: 'expired', threshold: 0, daysRemaining: 0 })).payload,
    );
    expect(chat.content.description).toContain('*Expired:* 2027-01-15 00:00 UTC');
  });
});
