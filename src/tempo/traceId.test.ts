/** @jest-environment node */
import { normalizeTraceId } from './traceId';

describe('normalizeTraceId', () => {
  it.each([
    ['5FEB30CCFB3CDB0936F11324D886982A', '5feb30ccfb3cdb0936f11324d886982a'],
    ['  0936f11324d886982a ', '000000000000000936f11324d886982a'],
    ['0xabc', '00000000000000000000000000000abc'],
    ['1', '00000000000000000000000000000001'],
  ])('%p -> %p', (input, traceId) => {
    expect(normalizeTraceId(input)).toEqual({ traceId });
  });

  it.each([
    ['', 'Enter a trace ID: 1 to 32 hexadecimal characters.'],
    ['   ', 'Enter a trace ID: 1 to 32 hexadecimal characters.'],
    ['req-123', 'A trace ID is hexadecimal (0-9, a-f); "req-123" has "r" at position 1.'],
    ['abc g', 'A trace ID is hexadecimal (0-9, a-f); "abc g" has " " at position 4.'],
    ['f'.repeat(33), 'A trace ID has at most 32 hexadecimal characters; this one has 33.'],
  ])('%p is refused', (input, error) => {
    expect(normalizeTraceId(input)).toEqual({ error });
  });
});
