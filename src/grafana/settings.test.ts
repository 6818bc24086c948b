import { DEFAULT_TEMPO_UID, describeNonText, readRequestIdKeys, resolveSettings } from './settings';
import { DEFAULT_REQUEST_ID_KEYS } from '../tempo/traceql';

const DEFAULTS = { tempoDatasourceUid: DEFAULT_TEMPO_UID, requestIdKeys: DEFAULT_REQUEST_ID_KEYS };

describe('resolveSettings', () => {
  it('fills in the Tempo data source and trims text', () => {
    expect(resolveSettings(undefined)).toEqual(DEFAULTS);
    expect(resolveSettings({ tempoDatasourceUid: ' tempo-2 ', tempoUrl: ' http://tempo:3200 ' })).toEqual({
      ...DEFAULTS,
      tempoDatasourceUid: 'tempo-2',
      tempoUrl: 'http://tempo:3200',
    });
    expect(resolveSettings({ tempoDatasourceUid: '   ' })).toEqual(DEFAULTS);
  });

  it.each([
    ['a number', 3200],
    ['a boolean', true],
    ['an object', { uid: 'tempo' }],
    ['a list', ['tempo']],
    ['null', null],
  ])('ignores %s where text belongs, without crashing', (_, value) => {
    const settings = resolveSettings({ tempoDatasourceUid: value, tempoUrl: value, prometheusDatasourceUid: 'p' });
    expect(settings).toEqual({ ...DEFAULTS, prometheusDatasourceUid: 'p' });
  });

  it('reads provisioned request ID keys, trimmed and without repeats', () => {
    expect(resolveSettings({ requestIdKeys: [' req_id ', 'x-correlation-id', 'req_id'] }).requestIdKeys).toEqual([
      'req_id',
      'x-correlation-id',
    ]);
  });

  it.each([
    ['a text', 'request_id'],
    ['an empty list', []],
    ['a list with an empty key', ['request_id', '  ']],
    ['a list with a number', ['request_id', 7]],
    ['an object', { key: 'request_id' }],
  ])('uses the default request ID keys for %s', (_, value) => {
    expect(resolveSettings({ requestIdKeys: value }).requestIdKeys).toEqual(DEFAULT_REQUEST_ID_KEYS);
  });

  it('hands out a copy of the defaults, so no page can change them for the others', () => {
    const keys = resolveSettings({}).requestIdKeys;
    keys.push('mine');
    expect(DEFAULT_REQUEST_ID_KEYS).not.toContain('mine');
  });

  it.each([null, 'tempo', 42, ['tempo']])('reads jsonData that is not an object (%p) as empty', (jsonData) => {
    expect(resolveSettings(jsonData)).toEqual(DEFAULTS);
  });
});

describe('describeNonText', () => {
  it.each([
    ['text', undefined],
    [undefined, undefined],
    [null, undefined],
    [3200, 'the number 3200'],
    [false, 'the boolean false'],
    [{ a: 1 }, 'an object ({"a":1})'],
    [[1, 2], 'a list ([1,2])'],
    [{ long: 'x'.repeat(100) }, `an object ({"long":"${'x'.repeat(30)}…)`],
  ])('%p -> %p', (value, expected) => {
    expect(describeNonText(value)).toBe(expected);
  });
});

describe('readRequestIdKeys', () => {
  it.each([
    [undefined, {}],
    [null, {}],
    [['a', ' b '], { keys: ['a', 'b'] }],
    ['request_id', { problem: 'jsonData.requestIdKeys is the text "request_id", not a list of attribute keys' }],
    [3, { problem: 'jsonData.requestIdKeys is the number 3, not a list of attribute keys' }],
    [{ a: 1 }, { problem: 'jsonData.requestIdKeys is an object ({"a":1}), not a list of attribute keys' }],
    [[], { problem: 'jsonData.requestIdKeys is an empty list' }],
    [['a', ''], { problem: 'jsonData.requestIdKeys[1] is empty text, not an attribute key' }],
    [['a', 'b', false], { problem: 'jsonData.requestIdKeys[2] is the boolean false, not an attribute key' }],
    [[null], { problem: 'jsonData.requestIdKeys[0] is null, not an attribute key' }],
  ])('%p -> %p', (value, expected) => {
    expect(readRequestIdKeys(value)).toEqual(expected);
  });
});
