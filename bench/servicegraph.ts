/**
 * `npm run bench servicemap-graph`: the service map from a sample of traces, as `sampleServiceMap` builds it once
 * the traces are loaded: 1,000 traces of 100 spans added to one service graph (ServiceGraphBuilder), then the map.
 * Parsing is the model's own bench (bench/case.ts) and is not timed here. Prints one JSON line:
 * `{"case":"servicegraph-1000x100","traces":1000,"spans_per_trace":100,"ms":<median>, ...}` (target ≤ 100 ms).
 *
 * The traces come from bench/generate.ts (a fan-out through 24 services with database and queue calls); each
 * copy's services are renamed into a pool of 240, so the merged map has many edges, as a real sample's would.
 */
import { fanoutText } from './fanoutTrace';
import { timeRuns } from './timing';
import { ServiceGraphBuilder, type Trace, parseTrace, serviceMapCountsFromGraph } from '../src/trace';

const TRACES = 1000;
const SPANS = 100;
const RUNS = 15;
const WARMUP = 5;
const POOL = 240;

const text = fanoutText(SPANS);
const names = [...text.matchAll(/"key":"service\.name","value":\{"stringValue":"([^"]+)"\}/g)].map((m) => m[1]);
const services = [...new Set(names)];

const traces: Trace[] = [];
for (let k = 0; k < TRACES; k++) {
  const rename = new Map(services.map((s, i) => [s, `svc-${(i * 10 + k) % POOL}`]));
  const renamed = text.replace(
    /("key":"service\.name","value":\{"stringValue":")([^"]+)(")/g,
    (_m, a: string, name: string, b: string) => `${a}${rename.get(name) ?? name}${b}`
  );
  traces.push(parseTrace(renamed));
}
const spans = traces.reduce((n, t) => n + t.spans.length, 0);
if (spans !== TRACES * SPANS) {
  throw new Error(`expected ${TRACES * SPANS} spans, generated ${spans}`);
}

const {
  result: map,
  ms,
  maxMs,
} = timeRuns(
  () => {
    const graph = new ServiceGraphBuilder();
    for (const t of traces) {
      graph.add(t);
    }
    return serviceMapCountsFromGraph(graph.graph());
  },
  RUNS,
  WARMUP
);
const edges = map.edges.length;
const nodes = map.nodes.length;
process.stdout.write(
  JSON.stringify({
    case: 'servicegraph-1000x100',
    traces: TRACES,
    spans_per_trace: SPANS,
    ms,
    max_ms: maxMs,
    nodes,
    edges,
    runs: RUNS,
  }) + '\n'
);
process.stderr.write(`servicegraph: ${TRACES} traces x ${SPANS} spans, ${nodes} nodes, ${edges} edges\n`);
