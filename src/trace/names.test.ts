import { compareNames } from './names';

describe('compareNames', () => {
  it('orders numbers by value and ignores case', () => {
    expect(['t10', 'T2', 't9', 'GET /v10', 'get /v9', 'click'].sort(compareNames)).toEqual([
      'click',
      'get /v9',
      'GET /v10',
      'T2',
      't9',
      't10',
    ]);
  });

  it('is a total order: names equal but for case or accents keep one order whatever the input order', () => {
    const names = ['api', 'Api', 'API', 'café', 'cafe', 'Cafe'];
    const sorted = names.slice().sort(compareNames);
    expect(names.slice().reverse().sort(compareNames)).toEqual(sorted);
    expect(sorted).toEqual(['API', 'Api', 'api', 'Cafe', 'cafe', 'café']);
    for (const a of names) {
      for (const b of names) {
        expect(Math.sign(compareNames(a, b))).toBe(a === b ? 0 : -Math.sign(compareNames(b, a)));
      }
    }
  });
});
