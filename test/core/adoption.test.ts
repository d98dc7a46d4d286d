/** Tokens AWS Health announced that nobody registered (core/adoption.ts). */
import {
  adopt,
  adoptedName,
  FORGET_AFTER_DAYS,
  inherited,
  MAX_ADOPTED,
  parseAdoptedIndex,
  pruned,
  withAdopted,
} from '../../core/adoption';
import { addDays } from '../../core/dates';
import { parseRegistration } from '../../core/registration';
import { EMPTY_TOKEN_STATE } from '../../core/state';

const NOW = new Date('2026-11-01T08:00:00Z');
const notice = (expiresAt: string, account?: string) => ({
  expiresAt: new Date(expiresAt),
  eventArn: `arn:aws:health:eu-west-1::event/${expiresAt}`,
  ...(account ? { account } : {}),
  region: 'eu-west-1',
});
const rules = { prefix: '/p/', defaultValidityDays: 365 };
const registration = (name: string, value: string) =>
  parseRegistration({ name: `/p/${name}`, type: 'String', value, version: 1 }, rules, NOW);

describe('adopt', () => {
  it("adds a notice once, named after its instant, and after its account when it is not the monitor's", () => {
    const first = adopt({}, notice('2027-01-15T10:30:00Z', '123456789012'), NOW, '123456789012');
    expect(first).toMatchObject({ name: 'aws-health@2027-01-15T10:30Z', added: true });
    expect(adopt(first.index, notice('2027-01-15T10:30:00Z'), NOW, '123456789012').added).toBe(false);
    const foreign = adopt(first.index, notice('2027-01-15T10:30:00Z', '210987654321'), NOW, '123456789012');
    expect(foreign.name).toBe('aws-health@210987654321@2027-01-15T10:30Z');
    expect(Object.keys(foreign.index)).toHaveLength(2);
  });

  it('stays bounded: forgets long-expired tokens and keeps the latest expiries', () => {
    let index = {};
    for (let i = 0; i < MAX_ADOPTED + 50; i++) {
      index = adopt(index, notice(addDays(new Date('2026-12-01T00:00:00Z'), i).toISOString()), NOW).index;
    }
    expect(Object.keys(index)).toHaveLength(MAX_ADOPTED);
    expect(JSON.stringify(index).length).toBeLessThan(100_000);
    const later = addDays(new Date('2026-12-01T00:00:00Z'), 60 + FORGET_AFTER_DAYS);
    expect(Object.keys(pruned(index, later)).length).toBeLessThan(MAX_ADOPTED);
  });

  it('reads back what it wrote and ignores what is not an adopted token', () => {
    const { index } = adopt({}, notice('2027-01-15T10:30:00Z'), NOW);
    expect(
      parseAdoptedIndex(JSON.stringify({ ...index, junk: {}, 'aws-health@x': { expiresAt: 'no' } })),
    ).toEqual(index);
    expect(parseAdoptedIndex('not json')).toEqual({});
  });
});

describe('withAdopted', () => {
  it('watches an adopted token nobody registered, and lets a matching registration take over', () => {
    const { index } = adopt({}, notice('2027-01-15T10:30:00Z'), NOW);
    const alone = withAdopted([], index, NOW);
    expect(alone.registrations.map((r) => (r.valid ? r.token.name : ''))).toEqual([
      adoptedName(new Date('2027-01-15T10:30:00Z')),
    ]);
    const taken = withAdopted([registration('okta', '{"expiresAt":"2027-01-15"}')], index, NOW);
    expect(taken.registrations).toHaveLength(1);
    expect(taken.takeovers.get('okta')).toBe('aws-health@2027-01-15T10:30Z');
  });

  it("does not let another account's registration take an adopted token over", () => {
    const { index } = adopt({}, notice('2027-01-15T10:30:00Z', '210987654321'), NOW, '123456789012');
    const other = registration('okta', '{"expiresAt":"2027-01-15","account":"333333333333"}');
    expect(withAdopted([other], index, NOW).takeovers.size).toBe(0);
  });

  it('hands the adopted alert state to the registration that took over, unless it has its own', () => {
    const adoptedState = {
      ...EMPTY_TOKEN_STATE,
      expiresAt: '2027-01-15T10:30:00.000Z',
      alertedThresholds: [60],
    };
    const expiry = new Date('2027-01-15T00:00:00Z');
    expect(inherited(EMPTY_TOKEN_STATE, adoptedState, expiry)).toEqual({
      ...adoptedState,
      expiresAt: expiry.toISOString(),
    });
    const own = { ...EMPTY_TOKEN_STATE, alertedThresholds: [60, 30] };
    expect(inherited(own, adoptedState, expiry)).toBe(own);
  });
});
