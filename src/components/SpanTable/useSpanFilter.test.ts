import { act, renderHook, waitFor } from '@testing-library/react';
import { findSpans, membership, parseTrace } from '../../trace';
import { fixtureJson } from '../../testing/traces';
import { useSpanFilter } from './useSpanFilter';

const recorded = () => parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));

describe('useSpanFilter', () => {
  it('filters a small trace at once, and keeps every span for an empty query', () => {
    const trace = recorded();
    const { result, rerender } = renderHook(({ query }) => useSpanFilter(trace, query), {
      initialProps: { query: '' },
    });
    expect(result.current).toEqual({ mask: null, progress: null });
    rerender({ query: 'core' });
    expect(result.current.progress).toBeNull();
    expect(result.current.mask).toEqual(membership(11, findSpans(trace, 'core')));
  });

  it('filters a trace larger than a step in steps, reporting progress, to the same result', async () => {
    const trace = recorded();
    const seen: Array<number | null> = [];
    const { result, rerender } = renderHook(
      ({ query }) => {
        const f = useSpanFilter(trace, query, 3);
        seen.push(f.progress);
        return f;
      },
      { initialProps: { query: '' } }
    );
    rerender({ query: 'GET' });
    expect(result.current.progress).toBe(0);
    expect(result.current.mask).toBeNull();
    await waitFor(() => expect(result.current.progress).toBeNull());
    expect(result.current.mask).toEqual(membership(11, findSpans(trace, 'GET')));
    // 11 spans in steps of 3: 3, 6 and 9 of 11 looked at on the way
    expect(seen.filter((p) => p !== null && p > 0)).toEqual(expect.arrayContaining([3 / 11, 6 / 11, 9 / 11]));

    // a new query while a pass runs: the old pass is dropped, the new one's result wins
    rerender({ query: 'jobservice' });
    rerender({ query: 'registry' });
    await waitFor(() => expect(result.current.progress).toBeNull());
    expect(result.current.mask).toEqual(membership(11, findSpans(trace, 'registry')));
    await act(() => new Promise((r) => setTimeout(r, 20)));
    expect(result.current.mask).toEqual(membership(11, findSpans(trace, 'registry')));
  });
});
