/** @jest-environment node */
import { parseTrace } from '../trace';
import { fixtureJson } from '../testing/traces';
import { traceKey } from './traceKey';

describe('traceKey', () => {
  it('gives the same trace object the same key, and another object, even of the same trace, another', () => {
    const json = fixtureJson('tempo-2.7.2/trace-v2.json');
    const a = parseTrace(json);
    const again = parseTrace(json);
    expect(again.traceId).toBe(a.traceId);
    expect(traceKey(a)).toBe(traceKey(a));
    expect(traceKey(again)).not.toBe(traceKey(a));
    expect(traceKey(again)).toBe(traceKey(again));
  });
});
