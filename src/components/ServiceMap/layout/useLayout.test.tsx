import { act, renderHook, waitFor } from '@testing-library/react';
import { execFileSync } from 'child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { Worker as ThreadWorker } from 'worker_threads';

import { generateServiceMap } from '../../../../bench/servicemapData';
import type { LayoutInput } from './types';
import { setLayoutWorkerFactory, useLayout } from './useLayout';

const root = join(__dirname, '..', '..', '..', '..');

function mapInput(services: number, seed = 1): LayoutInput {
  const map = generateServiceMap({ services, edges: services * 2, seed });
  return {
    nodes: map.nodes.map((n) => ({ id: n.id, width: 150, height: 70 })),
    edges: map.edges.map((e) => ({ source: e.source, target: e.target })),
  };
}

/**
 * layout.worker.ts in a real worker thread (Node has no Web Worker): bundled by esbuild, with `self` bound to the
 * thread's port, behind the part of the Worker interface that useLayout uses.
 */
class NodeLayoutWorker {
  static started = 0;
  static terminated = 0;
  private readonly thread: ThreadWorker;
  private readonly listeners = new Map<string, Set<(event: unknown) => void>>();
  constructor(file: string) {
    NodeLayoutWorker.started++;
    this.thread = new ThreadWorker(file);
    this.thread.on('message', (data) => this.emit('message', { data }));
    this.thread.on('error', (error) =>
      this.emit('error', { type: 'error', message: error.message, preventDefault() {} })
    );
  }
  private emit(type: string, event: unknown) {
    this.listeners.get(type)?.forEach((f) => f(event));
  }
  addEventListener(type: string, f: (event: unknown) => void) {
    this.listeners.set(type, (this.listeners.get(type) ?? new Set()).add(f));
  }
  removeEventListener(type: string, f: (event: unknown) => void) {
    this.listeners.get(type)?.delete(f);
  }
  postMessage(message: unknown) {
    this.thread.postMessage(message);
  }
  terminate() {
    NodeLayoutWorker.terminated++;
    this.listeners.clear();
    void this.thread.terminate();
  }
}

let dir: string;
let workerFile: string;
let brokenFile: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'traceway-layout-worker-'));
  workerFile = join(dir, 'layout.worker.js');
  // The esbuild CLI, not its JS API: the API refuses jsdom's Uint8Array.
  execFileSync(
    join(root, 'node_modules', '.bin', 'esbuild'),
    [
      join(__dirname, 'layout.worker.ts'),
      '--bundle',
      '--platform=node',
      '--log-level=warning',
      `--outfile=${workerFile}`,
      `--banner:js=const self = { postMessage: (m) => require('worker_threads').parentPort.postMessage(m), set onmessage(f) { require('worker_threads').parentPort.on('message', (data) => f({ data })); } };`,
    ],
    { cwd: root }
  );
  brokenFile = join(dir, 'broken.worker.js');
  writeFileSync(brokenFile, "throw new Error('blocked by the Content Security Policy');\n");
});

afterAll(() => {
  rmSync(dir, { recursive: true, force: true });
});

afterEach(() => {
  setLayoutWorkerFactory(() => undefined);
  jest.restoreAllMocks();
});

describe('useLayout without a worker (jsdom has none)', () => {
  it('computes on the main thread after the render, pending until then', async () => {
    const input = mapInput(20);
    const { result } = renderHook(() => useLayout(input));
    expect(result.current).toEqual({ layout: undefined, pending: true });
    await waitFor(() => expect(result.current.pending).toBe(false));
    expect(Object.keys(result.current.layout!.positions).sort()).toEqual(input.nodes.map((n) => n.id).sort());
    expect(result.current.error).toBeUndefined();
  });

  it('is idle without input', () => {
    const { result } = renderHook(() => useLayout(undefined));
    expect(result.current).toEqual({ pending: false });
  });

  it('reports bad input as an error, with no layout', async () => {
    const good = mapInput(10);
    const bad: LayoutInput = { nodes: [{ id: 'a', width: 1, height: 1 }], edges: [{ source: 'a', target: 'b' }] };
    const { result, rerender } = renderHook(({ input }) => useLayout(input), { initialProps: { input: good } });
    await waitFor(() => expect(result.current.layout).toBeDefined());
    rerender({ input: bad });
    await waitFor(() => expect(result.current.error).toMatch('edges[0] has target "b", which is not a node'));
    expect(result.current.pending).toBe(false);
    // A layout of other nodes would not fit this input.
    expect(result.current.layout).toBeUndefined();
  });
});

describe('useLayout with a worker', () => {
  beforeEach(() => {
    NodeLayoutWorker.started = 0;
    NodeLayoutWorker.terminated = 0;
    setLayoutWorkerFactory(() => new NodeLayoutWorker(workerFile) as unknown as Worker);
  });

  it('gets the layout from the worker, and reuses the idle worker for the next input', async () => {
    const first = mapInput(30);
    const second = mapInput(30, 2);
    const { result, rerender, unmount } = renderHook(({ input }) => useLayout(input), {
      initialProps: { input: first },
    });
    await waitFor(() => expect(result.current.pending).toBe(false), { timeout: 10_000 });
    expect(result.current.layout?.method).toBe('layered');
    expect(Object.keys(result.current.layout!.positions).sort()).toEqual(first.nodes.map((n) => n.id).sort());
    rerender({ input: second });
    // The previous layout stays while the next one is computed.
    expect(result.current.pending).toBe(true);
    expect(result.current.layout).toBeDefined();
    await waitFor(() => expect(result.current.pending).toBe(false), { timeout: 10_000 });
    expect(Object.keys(result.current.layout!.positions).sort()).toEqual(second.nodes.map((n) => n.id).sort());
    expect(NodeLayoutWorker.started).toBe(1);
    unmount();
    expect(NodeLayoutWorker.terminated).toBe(1);
  });

  it('terminates a worker busy with an older input: the newer input wins', async () => {
    const big = mapInput(1000);
    const small = mapInput(12);
    const { result, rerender, unmount } = renderHook(({ input }) => useLayout(input), { initialProps: { input: big } });
    rerender({ input: small });
    expect(NodeLayoutWorker.terminated).toBe(1);
    await waitFor(() => expect(result.current.pending).toBe(false), { timeout: 10_000 });
    expect(Object.keys(result.current.layout!.positions).sort()).toEqual(small.nodes.map((n) => n.id).sort());
    expect(NodeLayoutWorker.started).toBe(2);
    unmount();
  });

  it('falls back to the main thread, with one warning, when the worker cannot run', async () => {
    setLayoutWorkerFactory(() => new NodeLayoutWorker(brokenFile) as unknown as Worker);
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const input = mapInput(15);
    const { result, rerender } = renderHook(({ input }) => useLayout(input), { initialProps: { input } });
    await waitFor(() => expect(result.current.pending).toBe(false), { timeout: 10_000 });
    expect(Object.keys(result.current.layout!.positions)).toHaveLength(input.nodes.length);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0][0]).toMatch(
      /layout worker failed \(blocked by the Content Security Policy\); laying out on the main thread/
    );
    // Later layouts go straight to the main thread.
    const started = NodeLayoutWorker.started;
    const next = mapInput(16);
    rerender({ input: next });
    await waitFor(() => expect(Object.keys(result.current.layout!.positions)).toHaveLength(next.nodes.length));
    expect(NodeLayoutWorker.started).toBe(started);
    expect(warn).toHaveBeenCalledTimes(1);
  });

  it('falls back when starting a worker throws (a Content Security Policy without worker-src)', async () => {
    setLayoutWorkerFactory(() => {
      throw new DOMException('Failed to construct Worker', 'SecurityError');
    });
    const warn = jest.spyOn(console, 'warn').mockImplementation(() => {});
    const input = mapInput(8);
    const { result } = renderHook(() => useLayout(input));
    await act(async () => {});
    await waitFor(() => expect(result.current.pending).toBe(false));
    expect(result.current.layout).toBeDefined();
    expect(warn.mock.calls[0][0]).toMatch('Failed to construct Worker');
  });
});
