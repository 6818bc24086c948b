/**
 * `npm run bench servicemap-layout`: the service map's layout (src/components/ServiceMap/layout) on generated maps
 * (bench/servicemapData.ts). One JSON line per case: the median of the timed runs after warm-up runs, as the
 * worker computes it (the worker lives as long as the page, so its JIT is warm after the first map).
 *   layout-1000x5000: 1,000 services and 5,000 calls, force (the target: at most 1 s); `cold_ms` is the first
 *     layout in the process, JIT cold, as a fresh worker's first map;
 *   layout-1000x5000-grouped: the same, grouped by namespace;
 *   layout-1000x5000-stable: the same map after a time range change (5% of services gone, 5% new), from the
 *     previous positions; `moved` is how far the services shown before moved, in mean edge lengths;
 *   layout-60x75: a small map, layered (dagre), as a focused neighbourhood is.
 * Node boxes are the map's own (150 x 70 px). `ms` is wall time, `cpu_ms` this process's CPU time.
 */
// computeLayout's own module: the layout's index also has the hook, whose worker URL is for webpack only.
import { computeLayout } from '../src/components/ServiceMap/layout/computeLayout';
import type { LayoutInput, LayoutResult } from '../src/components/ServiceMap/layout/types';
import { generateServiceMap } from './servicemapData';

const RUNS = 7;
const WARMUP = 3;
const BOX = { width: 150, height: 70 };

function input(services: number, edges: number, grouped: boolean): LayoutInput {
  const map = generateServiceMap({ services, edges, seed: 1 });
  return {
    nodes: map.nodes.map((n) => {
      const namespace = (n as { namespace?: string }).namespace;
      return { id: n.id, ...BOX, ...(grouped && namespace ? { group: namespace } : {}) };
    }),
    edges: map.edges.map((e) => ({ source: e.source, target: e.target })),
  };
}

/** The map after a time range change: `share` of the nodes gone, as many new ones calling and called by survivors. */
function changed(base: LayoutInput, share: number): LayoutInput {
  const gone = new Set(base.nodes.filter((_, i) => i % Math.round(1 / share) === 1).map((x) => x.id));
  const nodes = base.nodes.filter((x) => !gone.has(x.id));
  const edges = base.edges.filter((e) => !gone.has(e.source) && !gone.has(e.target));
  const survivors = nodes.map((x) => x.id);
  for (let i = 0; i < gone.size; i++) {
    const id = `new-service-${i}`;
    nodes.push({ id, ...BOX });
    edges.push({ source: survivors[(i * 7) % survivors.length], target: id });
    edges.push({ source: id, target: survivors[(i * 13 + 5) % survivors.length] });
  }
  return { nodes, edges };
}

function meanEdgeLength(layout: LayoutResult, edges: LayoutInput['edges']): number {
  let sum = 0;
  for (const e of edges) {
    const a = layout.positions[e.source];
    const b = layout.positions[e.target];
    sum += Math.hypot(a.x - b.x, a.y - b.y);
  }
  return sum / Math.max(1, edges.length);
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

function measure(name: string, make: () => LayoutInput, extra?: (layout: LayoutResult) => Record<string, number>) {
  const x = make();
  const times: number[] = [];
  const cpu: number[] = [];
  let last: LayoutResult | undefined;
  for (let run = 0; run < WARMUP + RUNS; run++) {
    gc();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    last = computeLayout(x);
    const ms = performance.now() - t0;
    const c = process.cpuUsage(c0);
    if (run >= WARMUP) {
      times.push(ms);
      cpu.push((c.user + c.system) / 1000);
    }
  }
  const line = {
    case: name,
    nodes: x.nodes.length,
    edges: x.edges.length,
    method: last!.method,
    ms: Math.round(median(times) * 10) / 10,
    // CPU time of this process: on a shared machine, wall time also counts the time other processes had the core.
    cpu_ms: Math.round(median(cpu) * 10) / 10,
    ...extra?.(last!),
  };
  process.stdout.write(JSON.stringify(line) + '\n');
  process.stderr.write(
    `${name}: runs=${RUNS} (+${WARMUP} warm-up) min=${Math.min(...times).toFixed(0)} max=${Math.max(...times).toFixed(0)} ms\n`
  );
}

// A fresh worker has a cold JIT: the first layout in this process is that case (the first map a user opens),
// reported as `cold_ms` on the layout-1000x5000 line.
let coldMs: number;
{
  const t0 = performance.now();
  computeLayout(input(1000, 5000, false));
  coldMs = performance.now() - t0;
}
measure('layout-1000x5000', () => input(1000, 5000, false), () => ({ cold_ms: Math.round(coldMs * 10) / 10 }));
measure('layout-1000x5000-grouped', () => input(1000, 5000, true));
{
  const before = input(1000, 5000, false);
  const first = computeLayout(before);
  const unit = meanEdgeLength(first, before.edges);
  measure(
    'layout-1000x5000-stable',
    () => ({ ...changed(before, 0.05), previous: first.positions }),
    (layout) => {
      let moved = 0;
      let k = 0;
      for (const [id, p] of Object.entries(first.positions)) {
        const q = layout.positions[id];
        if (q) {
          moved += Math.hypot(p.x - q.x, p.y - q.y);
          k++;
        }
      }
      return { moved: Math.round((moved / k / unit) * 1000) / 1000 };
    }
  );
}
measure('layout-60x75', () => input(60, 75, false));
