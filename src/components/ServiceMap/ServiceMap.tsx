import React, { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { Alert, Button, useStyles2, useTheme2 } from '@grafana/ui';
import { ServiceMap as ServiceMapData, ServiceMapEdge, ServiceMapNode } from '../../trace';
import { DataText } from '../DataText/DataText';
import { testIds } from '../testIds';
import { useElementSize } from '../useElementSize';
import { drawScene, mapColors } from './draw';
import { figureLines, summaryLine, unitOf } from './format';
import { LayoutInput, LayoutPoint, useLayout } from './layout';
import { Legend } from './Legend';
import { MapMenu, MenuSubject } from './MapMenu';
import { Viewport, nodeBox, buildScene, centreOn, edgeAt, fitViewport, toWorld, zoomAt } from './scene';
import { getServiceMapStyles } from './styles';
import { RecentCache } from './recent';
import { Toolbar } from './Toolbar';
import { DEFAULT_VIEW, EdgeLinks, NodeLinks, ServiceMapView, hasNamespaces, shownMap } from './view';

export interface ServiceMapProps {
  map: ServiceMapData;
  /** CSS pixels of the whole component: toolbar, map and summary */
  width: number;
  height: number;
  /** the links of a node's menu (search its traces, its errors, Explore) */
  nodeLinks?: NodeLinks;
  /** the links of an edge's menu (the traces of these calls) */
  edgeLinks?: EdgeLinks;
  /** controlled view (the page keeps it in its URL); uncontrolled when absent */
  view?: ServiceMapView;
  onViewChange?: (view: ServiceMapView) => void;
}

interface Selected {
  subject: MenuSubject;
  /** where the menu opens, in the stage's CSS pixels */
  x: number;
  y: number;
}

/** How far a pointer may move between press and release and still be a click, in CSS pixels. */
const CLICK_SLOP = 4;
/** Pixels an arrow key pans, and the zoom step of + and - (buttons and keys). */
const PAN_STEP = 80;
const ZOOM_STEP = 1.4;
/** Maps from this many nodes and edges move as a picture while panned or zoomed (requestMove). */
const SNAPSHOT_FROM = 1500;
/** Rest after a pan or zoom before a large map is drawn in full again. */
const IDLE_MS = 150;
/** Rough room the toolbar and the summary take, before the stage is measured. */
const CHROME_HEIGHT = 76;

/** How many views' last positions are kept for their next layout. */
const POSITION_VIEWS = 8;

const noHover = { node: -1, edge: -1 };

/**
 * The service map: services and their calls on a canvas, with pan (drag, arrow keys), zoom (wheel around
 * the pointer, + and -, buttons), Fit (0), find, focus to N hops, hide virtual nodes, group by namespace,
 * a legend, and a menu of figures and links for a clicked node or edge. The canvas is one image to a
 * screen reader, so every service and call is also in a visually hidden list whose buttons open the same
 * menus (and which tests use to reach every node).
 */
export function ServiceMap({
  map,
  width,
  height,
  nodeLinks,
  edgeLinks,
  view: viewProp,
  onViewChange,
}: ServiceMapProps) {
  const styles = useStyles2(getServiceMapStyles);
  const theme = useTheme2();
  const colors = useMemo(() => mapColors(theme), [theme]);
  const unit = unitOf(map);

  const [ownView, setOwnView] = useState<ServiceMapView>(DEFAULT_VIEW);
  const view = viewProp ?? ownView;
  const setView = useCallback(
    (next: ServiceMapView) => {
      if (!viewProp) {
        setOwnView(next);
      }
      onViewChange?.(next);
    },
    [viewProp, onViewChange]
  );
  const namespaces = useMemo(() => hasNamespaces(map), [map]);
  const grouped = view.groupByNamespace && namespaces;
  const { focus, hideVirtual } = view;
  // Hops and direction shape a focused view only: without a focus, changing them must not lay out, fit or
  // cache anything again.
  const hops = focus !== undefined ? view.hops : DEFAULT_VIEW.hops;
  const direction = focus !== undefined ? view.direction : DEFAULT_VIEW.direction;
  const shown = useMemo(
    () => shownMap(map, { focus, hops, direction, hideVirtual, groupByNamespace: false }),
    [map, focus, hops, direction, hideVirtual]
  );

  // Positions of earlier layouts, one set per way of showing the map: a new time range (a new map, same
  // view) starts from where its nodes were, so the picture does not reshuffle.
  const viewKey = `${shown.focus !== undefined ? `${shown.focus}\u0000${hops}\u0000${direction}` : ''}\u0000${hideVirtual}\u0000${grouped}`;
  // A mutable cache, not state: writing it must not render again. The last few views only (each up to
  // 1,000 positions): going back to one keeps its picture, trying many does not grow the page's memory.
  const [previous] = useState(() => new RecentCache<Record<string, LayoutPoint>>(POSITION_VIEWS));
  const input = useMemo<LayoutInput>(
    () => ({
      nodes: shown.map.nodes.map((n) => ({
        id: n.id,
        ...nodeBox(n.id),
        ...(grouped && n.namespace ? { group: n.namespace } : {}),
      })),
      edges: shown.map.edges.map((e) => ({ source: e.source, target: e.target })),
      previous: previous.get(viewKey),
    }),
    // viewKey covers grouped and the focus; the map covers the rest.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [shown.map, grouped]
  );
  const { layout, pending, error: layoutError } = useLayout(shown.map.nodes.length > 0 ? input : undefined);
  useEffect(() => {
    // A finished layout belongs to the current input, so to the current view.
    if (layout && !pending) {
      previous.set(viewKey, layout.positions);
    }
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [layout, pending]);

  const scene = useMemo(() => buildScene(shown.map, layout?.positions ?? {}, grouped), [shown.map, layout, grouped]);

  // The stage (the canvas's box) is measured; until then, the props minus the toolbar's rough height.
  const stageRef = useRef<HTMLDivElement>(null);
  const stage = useElementSize(stageRef, { width, height: Math.max(120, height - CHROME_HEIGHT) }, 'rect');

  // Viewport and hover live in refs: panning and hovering redraw the canvas without a React render.
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const vp = useRef<Viewport>({ k: 1, x: 0, y: 0 });
  const hover = useRef(noHover);
  const [selected, setSelected] = useState<Selected>();
  const [found, setFound] = useState<string>();
  const [lastClicked, setLastClicked] = useState<string>();
  const frame = useRef(0);
  const moving = useRef(false);
  const idle = useRef<ReturnType<typeof setTimeout>>();
  const snapshot = useRef<{ canvas: HTMLCanvasElement; vp: Viewport }>();
  const drawState = useRef({ scene, stage, colors, unit, selected, found });
  // What the next frame draws: updated after each render, before the effects below ask for a frame.
  useLayoutEffect(() => {
    drawState.current = { scene, stage, colors, unit, selected, found };
  });

  const draw = useCallback(() => {
    const canvas = canvasRef.current;
    if (!canvas) {
      return;
    }
    const s = drawState.current;
    // What is drawn, for the browser tests and the bench (and jsdom, which cannot draw).
    canvas.dataset.nodes = String(s.scene.nodes.length);
    canvas.dataset.edges = String(s.scene.edges.length);
    canvas.dataset.zoom = vp.current.k.toFixed(4);
    canvas.dataset.x = vp.current.x.toFixed(1);
    canvas.dataset.y = vp.current.y.toFixed(1);
    const ctx = canvas.getContext('2d');
    if (!ctx) {
      return; // jsdom: no 2D context; the hidden lists carry the map
    }
    const sel = s.selected?.subject;
    const index = (id: string | undefined) => (id === undefined ? -1 : (s.scene.index.get(id) ?? -1));
    const t0 = performance.now();
    drawScene(ctx, s.scene, {
      width: s.stage.width,
      height: s.stage.height,
      dpr: window.devicePixelRatio || 1,
      vp: vp.current,
      colors: s.colors,
      unit: s.unit,
      hoverNode: hover.current.node,
      hoverEdge: hover.current.edge,
      selectedNode: sel?.kind === 'node' ? index(sel.node.id) : -1,
      selectedEdge: sel?.kind === 'edge' ? s.scene.edges.findIndex((e) => e.edge === sel.edge) : -1,
      foundNode: index(s.found),
    });
    if (s.scene.nodes.length + s.scene.edges.length >= SNAPSHOT_FROM) {
      const snap = snapshot.current?.canvas ?? document.createElement('canvas');
      if (snap.width !== canvas.width || snap.height !== canvas.height) {
        snap.width = canvas.width;
        snap.height = canvas.height;
      }
      const snapCtx = snap.getContext('2d');
      if (snapCtx) {
        snapCtx.clearRect(0, 0, snap.width, snap.height);
        snapCtx.drawImage(canvas, 0, 0);
        snapshot.current = { canvas: snap, vp: vp.current };
      }
    } else {
      snapshot.current = undefined;
    }
    // The last frame's drawing time, read by the browser bench.
    canvas.dataset.drawMs = (performance.now() - t0).toFixed(2);
    canvas.dataset.frame = 'full';
  }, []);

  /** The last full drawing moved to the current viewport. */
  const blit = useCallback(() => {
    const canvas = canvasRef.current;
    const snap = snapshot.current;
    const ctx = canvas?.getContext('2d');
    if (!canvas || !ctx || !snap) {
      draw();
      return;
    }
    const t0 = performance.now();
    const dpr = window.devicePixelRatio || 1;
    const v = vp.current;
    const f = v.k / snap.vp.k;
    ctx.setTransform(1, 0, 0, 1, 0, 0);
    ctx.clearRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(
      snap.canvas,
      (v.x - snap.vp.x * f) * dpr,
      (v.y - snap.vp.y * f) * dpr,
      canvas.width * f,
      canvas.height * f
    );
    canvas.dataset.zoom = v.k.toFixed(4);
    canvas.dataset.x = v.x.toFixed(1);
    canvas.dataset.y = v.y.toFixed(1);
    canvas.dataset.drawMs = (performance.now() - t0).toFixed(2);
    canvas.dataset.frame = 'moving';
  }, [draw]);
  const requestDraw = useCallback(() => {
    moving.current = false;
    if (typeof requestAnimationFrame !== 'function') {
      draw();
    } else if (frame.current === 0) {
      // Many pointer events between two frames draw once.
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        moving.current ? blit() : draw();
      });
    }
  }, [draw, blit]);

  /**
   * A pan or zoom. A large map moves as the picture of its last full drawing, scaled and shifted (one image
   * a frame, whatever the map's size), and is drawn in full once the viewport rests for IDLE_MS: drawing
   * 5,000 edges every frame costs more than a frame in a browser without GPU rasterisation.
   */
  const requestMove = useCallback(() => {
    const s = drawState.current.scene;
    if (
      s.nodes.length + s.edges.length < SNAPSHOT_FROM ||
      !snapshot.current ||
      typeof requestAnimationFrame !== 'function'
    ) {
      requestDraw();
      return;
    }
    clearTimeout(idle.current);
    idle.current = setTimeout(requestDraw, IDLE_MS);
    if (frame.current === 0) {
      moving.current = true;
      frame.current = requestAnimationFrame(() => {
        frame.current = 0;
        moving.current ? blit() : draw();
      });
    }
  }, [requestDraw, draw, blit]);
  useEffect(
    () => () => {
      cancelAnimationFrame(frame.current);
      clearTimeout(idle.current);
    },
    []
  );

  // The canvas's backing store in device pixels, so lines and text are sharp on high-DPI screens.
  useLayoutEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) {
      return;
    }
    const dpr = window.devicePixelRatio || 1;
    canvas.width = Math.round(stage.width * dpr);
    canvas.height = Math.round(stage.height * dpr);
    draw();
  }, [stage, draw]);

  const fit = useCallback(() => {
    // Clear of the zoom buttons on the right and the legend at the bottom.
    vp.current = fitViewport(
      drawState.current.scene.bounds,
      drawState.current.stage.width,
      drawState.current.stage.height,
      24,
      { right: 48, bottom: 36 }
    );
    requestDraw();
  }, [requestDraw]);

  // Fit when a layout arrives for a new way of showing the map (first load, focus, hide, group); a new
  // map in the same view (another time range) keeps the viewport.
  const fittedKey = useRef<string>();
  useEffect(() => {
    if (layout && !pending && fittedKey.current !== viewKey) {
      fittedKey.current = viewKey;
      fit();
    } else {
      requestDraw();
    }
  }, [layout, pending, viewKey, fit, requestDraw, scene, selected, found, colors]);

  const zoomBy = useCallback(
    (factor: number, sx?: number, sy?: number) => {
      const { width: w, height: h } = drawState.current.stage;
      vp.current = zoomAt(vp.current, sx ?? w / 2, sy ?? h / 2, factor);
      requestMove();
    },
    [requestMove]
  );

  // Wheel zoom needs a non-passive listener to keep the page from scrolling.
  useEffect(() => {
    const canvas = canvasRef.current;
    if (!canvas) {
      return;
    }
    const onWheel = (e: WheelEvent) => {
      e.preventDefault();
      const r = canvas.getBoundingClientRect();
      const delta = e.deltaMode === 1 ? e.deltaY * 16 : e.deltaY;
      zoomBy(Math.exp(-delta * 0.0015), e.clientX - r.left, e.clientY - r.top);
    };
    canvas.addEventListener('wheel', onWheel, { passive: false });
    return () => canvas.removeEventListener('wheel', onWheel);
  }, [zoomBy]);

  const openNode = useCallback((node: ServiceMapNode, x: number, y: number) => {
    setSelected({ subject: { kind: 'node', node }, x, y });
    setLastClicked(node.id);
  }, []);
  const openEdge = useCallback((edge: ServiceMapEdge, x: number, y: number) => {
    setSelected({ subject: { kind: 'edge', edge }, x, y });
  }, []);
  // The hidden list's button that opened the menu: closing it returns there, not to the canvas.
  const opener = useRef<HTMLElement>();
  const closeMenu = useCallback(() => {
    setSelected(undefined);
    // Kept, not cleared: Escape may close the menu twice (Grafana's Menu and ours), both must land there.
    const back = opener.current;
    (back?.isConnected ? back : canvasRef.current)?.focus();
  }, []);

  const hitTest = (sx: number, sy: number) => {
    const s = drawState.current.scene;
    const w = toWorld(vp.current, sx, sy);
    const slack = 4 / vp.current.k;
    const node = s.grid.nodeAt(w.x, w.y, slack);
    return { node, edge: node >= 0 ? -1 : edgeAt(s.edges, w.x, w.y, Math.max(5 / vp.current.k, 2)) };
  };

  const drag = useRef<{ sx: number; sy: number; vp: Viewport; moved: boolean; id: number }>();
  const local = (e: React.PointerEvent) => {
    const r = e.currentTarget.getBoundingClientRect();
    return { sx: e.clientX - r.left, sy: e.clientY - r.top };
  };
  const onPointerDown = (e: React.PointerEvent<HTMLCanvasElement>) => {
    if (e.button !== 0) {
      return;
    }
    const { sx, sy } = local(e);
    drag.current = { sx, sy, vp: vp.current, moved: false, id: e.pointerId };
    try {
      // Keeps the drag when the pointer leaves the canvas; a synthetic pointer (tests, bench) has none to capture.
      e.currentTarget.setPointerCapture?.(e.pointerId);
    } catch {}
  };
  const onPointerMove = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const { sx, sy } = local(e);
    const d = drag.current;
    if (d && d.id === e.pointerId) {
      if (!d.moved && Math.hypot(sx - d.sx, sy - d.sy) > CLICK_SLOP) {
        d.moved = true;
        e.currentTarget.style.cursor = 'grabbing';
      }
      if (d.moved) {
        vp.current = { k: d.vp.k, x: d.vp.x + sx - d.sx, y: d.vp.y + sy - d.sy };
        requestMove();
      }
      return;
    }
    const hit = hitTest(sx, sy);
    if (hit.node !== hover.current.node || hit.edge !== hover.current.edge) {
      hover.current = hit;
      e.currentTarget.style.cursor = hit.node >= 0 || hit.edge >= 0 ? 'pointer' : 'grab';
      requestDraw();
    }
  };
  const onPointerUp = (e: React.PointerEvent<HTMLCanvasElement>) => {
    const d = drag.current;
    if (d && d.id !== e.pointerId) {
      return; // another finger or pen lifted: the drag goes on
    }
    drag.current = undefined;
    e.currentTarget.style.cursor = 'grab';
    if (d?.moved) {
      // The drag is over: the full drawing now rather than after the rest a wheel needs.
      clearTimeout(idle.current);
      requestDraw();
      return;
    }
    if (!d) {
      return;
    }
    const { sx, sy } = local(e);
    const hit = hitTest(sx, sy);
    const s = drawState.current.scene;
    opener.current = undefined; // a menu opened here closes back to the canvas
    if (hit.node >= 0) {
      openNode(s.nodes[hit.node].node, sx, sy);
    } else if (hit.edge >= 0) {
      openEdge(s.edges[hit.edge].edge, sx, sy);
    } else {
      setSelected(undefined);
    }
  };
  const onPointerLeave = () => {
    if (hover.current !== noHover) {
      hover.current = noHover;
      requestDraw();
    }
  };

  const onKeyDown = (e: React.KeyboardEvent<HTMLCanvasElement>) => {
    if (e.altKey || e.ctrlKey || e.metaKey) {
      return;
    }
    const pan = (dx: number, dy: number) => {
      vp.current = { ...vp.current, x: vp.current.x + dx, y: vp.current.y + dy };
      requestMove();
    };
    switch (e.key) {
      case 'ArrowLeft':
        pan(PAN_STEP, 0);
        break;
      case 'ArrowRight':
        pan(-PAN_STEP, 0);
        break;
      case 'ArrowUp':
        pan(0, PAN_STEP);
        break;
      case 'ArrowDown':
        pan(0, -PAN_STEP);
        break;
      case '+':
      case '=':
        zoomBy(ZOOM_STEP);
        break;
      case '-':
      case '_':
        zoomBy(1 / ZOOM_STEP);
        break;
      case '0':
        fit();
        break;
      case 'Escape':
        if (!selected && found === undefined) {
          return;
        }
        setSelected(undefined);
        setFound(undefined);
        break;
      default:
        return;
    }
    e.preventDefault();
  };

  // Find: centre the service and ring it.
  const onFind = useCallback(
    (id: string | undefined) => {
      setFound(id);
      if (id === undefined) {
        return;
      }
      setLastClicked(id);
      const s = drawState.current;
      const i = s.scene.index.get(id);
      if (i !== undefined) {
        vp.current = centreOn(vp.current, s.scene.nodes[i], s.stage.width, s.stage.height, 0.8);
        requestDraw();
      }
    },
    [requestDraw]
  );

  // A service picked from the hidden list: centred, its menu opened in the middle.
  const openFromList = useCallback(
    (subject: MenuSubject, from: HTMLElement) => {
      opener.current = from;
      const s = drawState.current;
      if (subject.kind === 'node') {
        const i = s.scene.index.get(subject.node.id);
        if (i !== undefined) {
          vp.current = centreOn(vp.current, s.scene.nodes[i], s.stage.width, s.stage.height, 0.8);
          requestDraw();
        }
        openNode(subject.node, s.stage.width / 2, s.stage.height / 2);
      } else {
        openEdge(subject.edge, s.stage.width / 2, s.stage.height / 2);
      }
    },
    [openNode, openEdge, requestDraw]
  );

  const target = found ?? lastClicked;
  const menuLinks = selected
    ? selected.subject.kind === 'node'
      ? (nodeLinks?.(selected.subject.node) ?? [])
      : (edgeLinks?.(selected.subject.edge) ?? [])
    : [];
  const summary = summaryLine(
    { nodes: shown.map.nodes.length, edges: shown.map.edges.length },
    { nodes: map.nodes.length, edges: map.edges.length },
    layout && !pending ? layout.ms : undefined
  );
  const focusedSubject = selected?.subject.kind === 'node' ? selected.subject.node.id : undefined;

  return (
    <div
      className={styles.root}
      style={{ width, height }}
      data-testid={testIds.serviceMap.container}
      onKeyDown={(e) => {
        if (e.key === 'Escape' && selected) {
          e.preventDefault();
          closeMenu();
        }
      }}
    >
      <Toolbar
        styles={styles}
        map={shown.map.nodes.length > 0 ? shown.map : map}
        view={view}
        onViewChange={setView}
        target={target}
        found={found}
        onFind={onFind}
        namespaces={namespaces}
      />
      <div className={styles.stage} ref={stageRef}>
        <canvas
          ref={canvasRef}
          className={styles.canvas}
          style={{ width: stage.width, height: stage.height }}
          tabIndex={0}
          role="img"
          aria-label={`Service map: ${summary}. Arrow keys pan, plus and minus zoom, 0 fits the map. The services and calls are listed after the map.`}
          data-testid={testIds.serviceMap.canvas}
          onPointerDown={onPointerDown}
          onPointerMove={onPointerMove}
          onPointerUp={onPointerUp}
          onPointerCancel={(e) => {
            if (drag.current?.id === e.pointerId) {
              drag.current = undefined;
              e.currentTarget.style.cursor = 'grab';
              // a cancelled drag may have moved the picture: draw it in full where it stopped
              clearTimeout(idle.current);
              requestDraw();
            }
          }}
          onPointerLeave={onPointerLeave}
          onKeyDown={onKeyDown}
        />
        {shown.map.nodes.length === 0 && (
          <div className={styles.empty} data-testid={testIds.serviceMap.empty}>
            {map.nodes.length === 0 ? 'No services in this map.' : 'No services left to show: every node is hidden.'}
          </div>
        )}
        {pending && shown.map.nodes.length > 0 && (
          <div className={styles.pending} data-testid={testIds.serviceMap.pending} aria-live="polite">
            Laying out {shown.map.nodes.length.toLocaleString('en-US')} services…
          </div>
        )}
        <div className={styles.zoom}>
          <Button
            size="sm"
            variant="secondary"
            icon="plus"
            aria-label="Zoom in"
            tooltip="Zoom in (+)"
            onClick={() => zoomBy(ZOOM_STEP)}
            data-testid={testIds.serviceMap.zoomIn}
          />
          <Button
            size="sm"
            variant="secondary"
            icon="minus"
            aria-label="Zoom out"
            tooltip="Zoom out (-)"
            onClick={() => zoomBy(1 / ZOOM_STEP)}
            data-testid={testIds.serviceMap.zoomOut}
          />
          <Button
            size="sm"
            variant="secondary"
            tooltip="Show the whole map (0)"
            onClick={fit}
            data-testid={testIds.serviceMap.fit}
          >
            Fit
          </Button>
        </div>
        <Legend styles={styles} colors={colors} unit={unit} compact={stage.width < 720 || stage.height < 320} />
        {selected && (
          <MapMenu
            styles={styles}
            subject={selected.subject}
            unit={unit}
            links={menuLinks}
            x={selected.x}
            y={selected.y}
            stage={stage}
            onClose={closeMenu}
            onFocus={
              focusedSubject !== undefined && focusedSubject !== view.focus
                ? () => {
                    // closed like any menu: focus back to its opener (the service stays listed) or the canvas
                    closeMenu();
                    setView({ ...view, focus: focusedSubject });
                  }
                : undefined
            }
          />
        )}
        <HiddenLists styles={styles} map={shown.map} unit={unit} onOpen={openFromList} />
      </div>
      <div className={styles.summary} data-testid={testIds.serviceMap.summary} aria-live="polite">
        <span>{summary}</span>
        {shown.problem && <span className={styles.problem}>{shown.problem}</span>}
      </div>
      {layoutError && (
        <Alert severity="error" title="The map could not be laid out" data-testid={testIds.serviceMap.layoutError}>
          {layoutError}
        </Alert>
      )}
    </div>
  );
}

interface ListProps {
  styles: ReturnType<typeof getServiceMapStyles>;
  map: ServiceMapData;
  unit: ReturnType<typeof unitOf>;
  onOpen: (subject: MenuSubject, from: HTMLElement) => void;
}

/**
 * Every service and call as buttons, for screen readers and keyboards: the canvas is one image to them. Each
 * list is one Tab stop (a roving tabindex): arrow keys move within it, Home and End jump to its ends, so
 * 6,000 buttons of a large map do not stand between the map and the rest of the page.
 */
const HiddenLists = React.memo(function HiddenLists({ styles, map, unit, onOpen }: ListProps) {
  const nodes = useMemo(
    () =>
      map.nodes.map((n) => ({
        key: n.id,
        testId: testIds.serviceMap.node(n.id),
        subject: { kind: 'node', node: n } as MenuSubject,
        text: (
          <>
            <DataText>{n.id}</DataText>
            {n.virtual ? ' (virtual)' : ''}: {figureLines(n, unit).join(', ')}
          </>
        ),
      })),
    [map.nodes, unit]
  );
  const edges = useMemo(
    () =>
      map.edges.map((e) => ({
        key: `${e.source}\u0000${e.target}\u0000${e.connectionType}`,
        testId: testIds.serviceMap.edge(e.source, e.target),
        subject: { kind: 'edge', edge: e } as MenuSubject,
        text: (
          <>
            <DataText>{e.source}</DataText> calls <DataText>{e.target}</DataText>: {figureLines(e, unit).join(', ')}
          </>
        ),
      })),
    [map.edges, unit]
  );
  return (
    <div className={styles.srOnly}>
      <RovingList label="Services" testId={testIds.serviceMap.nodeList} items={nodes} onOpen={onOpen} />
      <RovingList label="Calls" testId={testIds.serviceMap.edgeList} items={edges} onOpen={onOpen} />
    </div>
  );
});

interface ListItem {
  key: string;
  testId: string;
  subject: MenuSubject;
  text: React.ReactNode;
}

const NEXT: Record<string, (i: number, last: number) => number> = {
  ArrowDown: (i, last) => Math.min(last, i + 1),
  ArrowRight: (i, last) => Math.min(last, i + 1),
  ArrowUp: (i) => Math.max(0, i - 1),
  ArrowLeft: (i) => Math.max(0, i - 1),
  Home: () => 0,
  End: (_, last) => last,
};

function RovingList({
  label,
  testId,
  items,
  onOpen,
}: {
  label: string;
  testId: string;
  items: ListItem[];
  onOpen: ListProps['onOpen'];
}) {
  const ref = useRef<HTMLUListElement>(null);
  const [active, setActive] = useState(0);
  // The list may shrink under the active one (a focus, a new range): the Tab stop stays in it.
  const current = Math.min(active, Math.max(0, items.length - 1));
  const onKeyDown = (e: React.KeyboardEvent<HTMLUListElement>) => {
    const next = NEXT[e.key];
    if (!next || e.altKey || e.ctrlKey || e.metaKey || e.shiftKey || items.length === 0) {
      return;
    }
    e.preventDefault();
    const i = next(current, items.length - 1);
    setActive(i);
    ref.current?.children[i]?.querySelector('button')?.focus();
  };
  return (
    <ul aria-label={label} data-testid={testId} ref={ref} onKeyDown={onKeyDown}>
      {items.map((item, i) => (
        <ListButton key={item.key} item={item} index={i} tabbable={i === current} onOpen={onOpen} onFocus={setActive} />
      ))}
    </ul>
  );
}

const ListButton = React.memo(function ListButton({
  item,
  index,
  tabbable,
  onOpen,
  onFocus,
}: {
  item: ListItem;
  index: number;
  tabbable: boolean;
  onOpen: ListProps['onOpen'];
  onFocus: (index: number) => void;
}) {
  return (
    <li>
      <button
        type="button"
        tabIndex={tabbable ? 0 : -1}
        data-testid={item.testId}
        onFocus={() => onFocus(index)}
        onClick={(e) => onOpen(item.subject, e.currentTarget)}
      >
        {item.text}
      </button>
    </li>
  );
});
