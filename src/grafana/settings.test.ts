import { DEFAULT_TEMPO_UID, describeNonText, resolveSettings } from './settings';

describe('resolveSettings', () => {
  it('fills in the Tempo data source and trims text', () => {
    expect(resolveSettings(undefined)).toEqual({ tempoDatasourceUid: DEFAULT_TEMPO_UID });
    expect(resolveSettings({ tempoDatasourceUid: ' tempo-2 ', tempoUrl: ' http://tempo:3200 ' })).toEqual({
      tempoDatasourceUid: 'tempo-2',
      tempoUrl: 'http://tempo:3200',
    });
    expect(resolveSettings({ tempoDatasourceUid: '   ' })).toEqual({ tempoDatasourceUid: DEFAULT_TEMPO_UID });
  });

  it.each([
    ['a number', 3200],
    ['a boolean', true],
    ['an object', { uid: 'tempo' }],
    ['a list', ['tempo']],
    ['null', null],
  ])('ignores %s where text belongs, without crashing', (_, value) => {
    const settings = resolveSettings({ tempoDatasourceUid: value, tempoUrl: value, prometheusDatasourceUid: 'p' });
    expect(settings).toEqual({ tempoDatasourceUid: DEFAULT_TEMPO_UID, prometheusDatasourceUid: 'p' });
  });

  it.each([null, 'tempo', 42, ['tempo']])('reads jsonData that is not an object (%p) as empty', (jsonData) => {
    expect(resolveSettings(jsonData)).toEqual({ tempoDatasourceUid: DEFAULT_TEMPO_UID });
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
