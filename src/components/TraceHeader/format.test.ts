/** @jest-environment node */
import { formatBytes, formatDuration } from './format';

describe('formatDuration', () => {
  it.each([
    [0, '0 ns'],
    [999, '999 ns'],
    [1_500, '1.50 µs'],
    [54_803_545, '54.8 ms'],
    [123_456_789, '123 ms'],
    [4_560_000_000, '4.56 s'],
    [125_000_000_000, '2 min 05 s'],
    [-1, '–'],
    [Number.NaN, '–'],
  ])('%p ns -> %p', (ns, text) => {
    expect(formatDuration(ns)).toBe(text);
  });
});

describe('formatBytes', () => {
  it.each([
    [0, '0 B'],
    [1023, '1023 B'],
    [40 * 1024, '40 KB'],
    [72_029_391, '68.7 MB'],
  ])('%p -> %p', (bytes, text) => {
    expect(formatBytes(bytes)).toBe(text);
  });
});
