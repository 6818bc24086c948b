/** @jest-environment node */
import { GroupStats } from '../../trace';
import { DEFAULT_STATS_SORT, formatShare, groupLabel, nextSort, sortGroups } from './statsTable';

const g = (service: string, operation: string, count: number, selfNs: number): GroupStats => ({
  service,
  operation,
  count,
  totalNs: selfNs,
  avgNs: selfNs / count,
  minNs: 0,
  maxNs: selfNs,
  selfNs,
  share: 0,
  errors: 0,
});

describe('statistics table', () => {
  const groups = [g('db', 't10', 2, 5), g('api', 'GET', 2, 9), g('db', 't9', 1, 5), g('Api', 'post', 7, 1)];
  const names = (list: GroupStats[]) => list.map((x) => `${x.service}:${x.operation}`);

  it('sorts the largest self time first by default, ties by name', () => {
    expect(names(sortGroups(groups, DEFAULT_STATS_SORT))).toEqual(['api:GET', 'db:t9', 'db:t10', 'Api:post']);
  });

  it('sorts names as people read them: case aside, numbers by value', () => {
    expect(names(sortGroups(groups, { key: 'operation', desc: false }))).toEqual([
      'api:GET',
      'Api:post',
      'db:t9',
      'db:t10',
    ]);
  });

  it('orders names that differ only in case one way, whatever the order they come in', () => {
    const pair = [g('api', 'GET', 1, 1), g('Api', 'GET', 1, 1), g('API', 'get', 1, 1)];
    const byService = { key: 'service', desc: false } as const;
    const expected = ['API:get', 'Api:GET', 'api:GET'];
    expect(names(sortGroups(pair, byService))).toEqual(expected);
    expect(names(sortGroups(pair.slice().reverse(), byService))).toEqual(expected);
    expect(names(sortGroups(pair.slice().reverse(), DEFAULT_STATS_SORT))).toEqual(expected);
  });

  it('flips a column on its second click; a new numeric column starts largest first, a name A to Z', () => {
    expect(nextSort(DEFAULT_STATS_SORT, 'selfNs')).toEqual({ key: 'selfNs', desc: false });
    expect(nextSort(DEFAULT_STATS_SORT, 'count')).toEqual({ key: 'count', desc: true });
    expect(nextSort(DEFAULT_STATS_SORT, 'service')).toEqual({ key: 'service', desc: false });
    expect(names(sortGroups(groups, nextSort(DEFAULT_STATS_SORT, 'count')))).toEqual([
      'Api:post',
      'api:GET',
      'db:t10',
      'db:t9',
    ]);
  });

  it('writes shares as percentages, never a misleading 0% for a little time', () => {
    expect([0, 0.00001, 0.0042, 0.042, 0.42, 1.5].map(formatShare)).toEqual([
      '0%',
      '< 0.01%',
      '0.42%',
      '4.2%',
      '42%',
      '150%',
    ]);
  });

  it('labels a filter by service, or service and operation', () => {
    expect(groupLabel(groups[0], 'service')).toBe('db');
    expect(groupLabel(groups[0], 'operation')).toBe('db: t10');
    expect(groupLabel(g('db', '', 1, 1), 'operation')).toBe('db: (no name)');
  });
});
