/**
 * @jest-environment node
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseTrace } from '../../trace';
import { MAX_FILE_TRACES, clearFileTraces, getFileTrace, putFileTrace } from './fileTraces';

const trace = parseTrace(readFileSync(path.resolve(__dirname, '../../../fixtures/tempo-2.7.2/trace-v2.json'), 'utf8'));

afterEach(clearFileTraces);

describe('file traces', () => {
  it('keeps a trace under a random hex key', () => {
    const a = putFileTrace({ trace, fileName: 'a.json', bytes: 1 });
    const b = putFileTrace({ trace, fileName: 'b.json', bytes: 2 });
    expect(a).toMatch(/^[0-9a-f]{16}$/);
    expect(b).not.toBe(a);
    expect(getFileTrace(a)).toEqual({ trace, fileName: 'a.json', bytes: 1 });
    expect(getFileTrace(b)?.fileName).toBe('b.json');
    expect(getFileTrace('0000000000000000')).toBeUndefined();
  });

  it(`keeps the last ${MAX_FILE_TRACES} and forgets the oldest`, () => {
    const keys = Array.from({ length: MAX_FILE_TRACES + 2 }, (_, i) =>
      putFileTrace({ trace, fileName: `${i}.json`, bytes: i })
    );
    expect(keys.map((k) => getFileTrace(k)?.fileName ?? null)).toEqual([
      null,
      null,
      ...keys.slice(2).map((_, i) => `${i + 2}.json`),
    ]);
  });

  it.each(['__proto__', 'constructor', 'toString'])('finds nothing under %s', (key) => {
    expect(getFileTrace(key)).toBeUndefined();
  });
});
