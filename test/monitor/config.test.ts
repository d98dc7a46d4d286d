import { loadConfig } from '../../functions/monitor/config';
import { MONITOR_ENV } from '../support/env';

describe('loadConfig', () => {
  it('reads the environment the construct sets', () => {
    expect(loadConfig({ ...MONITOR_ENV, THRESHOLDS_DAYS: '7, 60,30' })).toEqual({
      topicArn: MONITOR_ENV.ALERT_TOPIC_ARN,
      registryPrefix: '/scim-token-monitor/tokens/',
      ledgerTable: 'ScimTokenMonitor-LedgerTable',
      thresholdsDays: [60, 30, 7],
      validityDays: 365,
      eventBus: 'default',
      region: 'eu-west-1',
      account: '123456789012',
      tokenMetrics: false,
      digestAfter: 10,
      verifyTokens: [],
    });
  });

  it.each([
    ['ALERT_TOPIC_ARN', 'Missing environment variable ALERT_TOPIC_ARN'],
    ['PARAMETER_PREFIX', 'Missing environment variable PARAMETER_PREFIX'],
    ['THRESHOLDS_DAYS', 'Missing environment variable THRESHOLDS_DAYS'],
    ['AWS_REGION', 'Missing environment variable AWS_REGION'],
  ])('fails fast without %s', (name, message) => {
    expect(() => loadConfig({ ...MONITOR_ENV, [name]: '' })).toThrow(message);
  });

  it('needs the SCIM endpoint when stored tokens are to be verified', () => {
    expect(() => loadConfig({ ...MONITOR_ENV, VERIFY_TOKENS: 'vault/okta' })).toThrow(
      'VERIFY_TOKENS is set but SCIM_ENDPOINT is missing',
    );
    expect(
      loadConfig({
        ...MONITOR_ENV,
        VERIFY_TOKENS: 'vault/okta, b',
        SCIM_ENDPOINT: 'https://scim.x/t/scim/v2/',
      }),
    ).toMatchObject({
      verifyTokens: ['vault/okta', 'b'],
      scimEndpoint: 'https://scim.x/t/scim/v2/',
    });
  });

  it('rejects malformed values with the variable named', () => {
    expect(() => loadConfig({ ...MONITOR_ENV, THRESHOLDS_DAYS: '60,x' })).toThrow(
      'THRESHOLDS_DAYS must be positive whole numbers',
    );
    expect(() => loadConfig({ ...MONITOR_ENV, PARAMETER_PREFIX: 'tokens' })).toThrow(
      'PARAMETER_PREFIX must start with "/"',
    );
    expect(() => loadConfig({ ...MONITOR_ENV, LEDGER_TABLE_NAME: ' ' })).toThrow(
      'Missing environment variable LEDGER_TABLE_NAME',
    );
    expect(() => loadConfig({ ...MONITOR_ENV, VALIDITY_DAYS: '-1' })).toThrow(
      'VALIDITY_DAYS must be a positive whole number',
    );
  });
});
