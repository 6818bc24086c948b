import { dataSourceLabel, loadingText, notFoundText, searchedRange, secondsRange, traceQueryKey } from './traceQuery';

const query = { datasourceUid: 'tempo', traceId: '0af7651916cd43dd8448eb211c80319c' };

describe('secondsRange', () => {
  it('widens milliseconds to the whole seconds around them', () => {
    expect(secondsRange(1795247266500, 1795247326001)).toEqual({ start: 1795247266, end: 1795247327 });
  });

  it('gives nothing for a missing, zero, unreadable or reversed range', () => {
    expect(secondsRange(undefined, 1795247326000)).toEqual({});
    expect(secondsRange(0, 1795247326000)).toEqual({});
    expect(secondsRange(Number(null), Number('x'))).toEqual({});
    expect(secondsRange(1795247326000, 1795247266000)).toEqual({});
  });
});

describe('loadingText', () => {
  it('names the trace and data source, then the bytes so far, then the reading', () => {
    expect(loadingText(query, 'fetching', 0)).toBe('Loading trace 0af7651916cd43dd8448eb211c80319c from "tempo"…');
    expect(loadingText(query, 'fetching', 2_500_000)).toMatch(
      /^Loading trace 0af7\w+ from "tempo": 2\.\d MB received…$/
    );
    expect(loadingText(query, 'reading', 42_000_000)).toMatch(/^Reading 4\d(\.\d)? MB of trace data…$/);
    expect(loadingText(query, 'fetching', 0, 'Tempo')).toBe(
      'Loading trace 0af7651916cd43dd8448eb211c80319c from "Tempo"…'
    );
  });
});

describe('searchedRange', () => {
  it('says the range looked in, or nothing without one', () => {
    expect(searchedRange(query)).toBeUndefined();
    expect(searchedRange({ ...query, start: 1795247266, end: 1795247326 })).toMatch(/^between \S.* and \S.*$/);
  });
});

describe('traceQueryKey', () => {
  it('differs when any part of the lookup does', () => {
    const keys = new Set(
      [
        query,
        { ...query, datasourceUid: 'tempo-eu' },
        { ...query, start: 1, end: 2 },
        { ...query, start: 1, end: 3 },
      ].map(traceQueryKey)
    );
    expect(keys.size).toBe(4);
  });
});

describe('dataSourceLabel', () => {
  it('names the data source as the picker does, with its UID only when that says more', () => {
    expect(dataSourceLabel('tempo', 'Tempo')).toBe('"Tempo"');
    expect(dataSourceLabel('tempo-eu', 'Tempo EU')).toBe('"Tempo EU" (uid tempo-eu)');
    expect(dataSourceLabel('P214B5B846CF3925F', 'Tempo')).toBe('"Tempo" (uid P214B5B846CF3925F)');
    // not a data source Grafana knows: the UID is all there is
    expect(dataSourceLabel('gone', undefined)).toBe('"gone"');
  });
});

describe('notFoundText', () => {
  it('says which data source, trace and range, in plain words without a range', () => {
    expect(notFoundText(query, 'Tempo')).toBe(
      'Tempo data source "Tempo" has no trace 0af7651916cd43dd8448eb211c80319c within its retention (no time range given).'
    );
    expect(notFoundText({ ...query, start: 1795247266, end: 1795247326 }, 'Tempo EU')).toMatch(
      /^Tempo data source "Tempo EU" \(uid tempo\) has no trace 0af7\w+ between \S.* and \S.*\.$/
    );
  });
});
