/**
 * @jest-environment node
 */
import { countDiffKinds, diffKind, diffPathLabel, diffTraces, parseTrace } from '../../trace';
import { fixtureText } from '../../testing/traces';
import { changeOf, formatCountDelta, formatDelta, listedPaths, listedTree, subtreeSizes, treeOrder } from './rows';

const scan = fixtureText('tempo-2.7.2/trace-v2.json');
// The same request after a deploy that renamed the job's span: the job's path is removed, a new one added.
const renamed = scan.replace('"name": "job scan"', '"name": "job scan v2"');

describe('the merged structure as listed', () => {
  it('puts a path only B has under its parent in the tree order, not after all of A', () => {
    expect(renamed).not.toBe(scan);
    const diff = diffTraces(parseTrace(scan), parseTrace(renamed));
    const added = diff.paths.findIndex((p) => p.countA === 0);
    // diffTraces appends B's new path after A's paths ...
    expect(added).toBe(diff.paths.length - 1);
    const order = Array.from(treeOrder(diff));
    expect([...order].sort((x, y) => x - y)).toEqual(diff.paths.map((p) => p.id));
    // ... the tree order lists it right after its siblings, below its parent.
    const parent = diff.paths[added].parent;
    expect(diffPathLabel(diff, parent)).toMatch(/jobservice:GET \/api\/v1\/jobs$/);
    const at = order.indexOf(added);
    expect(order.indexOf(parent)).toBeLessThan(at);
    expect(diff.paths[order[at - 1]].parent).toBe(parent);
    expect(diff.paths[order[at - 1]].name).toBe('job scan');
    // every parent before its children
    for (let k = 0; k < order.length; k++) {
      const p = diff.paths[order[k]].parent;
      expect(p < 0 || order.indexOf(p) < k).toBe(true);
    }
  });

  it('counts and filters the paths by kind', () => {
    const diff = diffTraces(parseTrace(scan), parseTrace(renamed));
    expect(countDiffKinds(diff)).toEqual({ added: 1, removed: 1, changed: 0, same: diff.paths.length - 2 });
    const differing = listedPaths(diff, diff.byDifference, true);
    expect(differing.map((id) => diffKind(diff.paths[id])).sort()).toEqual(['added', 'removed']);
    expect(listedPaths(diff, diff.byDifference, false)).toEqual(diff.byDifference);
  });

  it('lists the tree without collapsed subtrees, and differences with their ancestors', () => {
    const diff = diffTraces(parseTrace(scan), parseTrace(renamed));
    const order = treeOrder(diff);
    const sizes = subtreeSizes(diff, order);
    expect(sizes[0]).toBe(diff.paths.length);
    const all = listedTree(diff, order, sizes, false, new Set());
    expect(all).toEqual(Array.from(order));
    // Collapsing the jobs call hides its two job paths (A's and B's).
    const jobs = diff.paths.find((p) => p.service === 'jobservice' && p.name === 'GET /api/v1/jobs')!.id;
    expect(sizes[jobs]).toBe(3);
    const collapsed = listedTree(diff, order, sizes, false, new Set([jobs]));
    expect(collapsed).toHaveLength(all.length - 2);
    expect(collapsed).toContain(jobs);
    // Only differences: the two job paths and every ancestor up to the root, nothing beside them.
    const differing = listedTree(diff, order, sizes, true, new Set());
    expect(differing.map((id) => diffPathLabel(diff, id).split(' > ').pop())).toEqual([
      'harbor-ui:click push',
      'harbor-ui:GET /api/v2.0/projects/scan',
      'gateway:GET /api/v2.0/projects/scan',
      'gateway:GET /api/v2.0/projects/scan',
      'core:GET /api/v2.0/projects/scan',
      'core:GET /api/v1/jobs',
      'jobservice:GET /api/v1/jobs',
      'jobservice:job scan',
      'jobservice:job scan v2',
    ]);
  });

  it('lists nothing that differs for a trace against itself', () => {
    const diff = diffTraces(parseTrace(scan), parseTrace(scan));
    expect(listedPaths(diff, treeOrder(diff), true)).toEqual([]);
    expect(countDiffKinds(diff)).toEqual({ added: 0, removed: 0, changed: 0, same: diff.paths.length });
  });

  it('signs differences so that they read without colour', () => {
    expect(changeOf(1, 2)).toBe('slower');
    expect(changeOf(2, 1)).toBe('faster');
    expect(changeOf(2, 2)).toBe('same');
    expect(formatDelta(11_597_484, 19_674_004)).toBe('▲ +8.08 ms');
    expect(formatDelta(54_803_545, 28_050_228)).toBe('▼ −26.8 ms');
    expect(formatDelta(5, 5)).toBe('= 0');
    expect(formatCountDelta(1, 3)).toBe('+2');
    expect(formatCountDelta(3, 1)).toBe('−2');
    expect(formatCountDelta(2, 2)).toBe('');
  });
});
