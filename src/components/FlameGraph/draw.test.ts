import { createTheme } from '@grafana/data';
import { parseTrace, Trace } from '../../trace';
import { sketchToOtlp, SpanSketch } from '../../testing/traces';
import { drawFlame, flameColors } from './draw';
import { ROW, timeLayout, zoomTo } from './layout';

/** A 2D context that records rectangles and text; every character is 7 px wide. */
function recorder() {
  const rects: Array<{ x: number; y: number; w: number; fill: string }> = [];
  const texts: Array<{ text: string; x: number; y: number }> = [];
  const strokes: Array<{ x: number; y: number; w: number; color: string }> = [];
  const ctx = {
    fillStyle: '',
    strokeStyle: '',
    lineWidth: 1,
    globalAlpha: 1,
    font: '',
    textBaseline: '',
    setTransform: () => {},
    measureText: (t: string) => ({ width: 7 * t.length }),
    fillRect(x: number, y: number, w: number) {
      rects.push({ x, y, w, fill: String(this.fillStyle) });
    },
    strokeRect(x: number, y: number, w: number) {
      strokes.push({ x, y, w, color: String(this.strokeStyle) });
    },
    fillText(text: string, x: number, y: number) {
      texts.push({ text, x, y });
    },
  };
  return { ctx: ctx as unknown as CanvasRenderingContext2D, rects, texts, strokes };
}

const theme = createTheme();
const build = (spans: SpanSketch[]): Trace => parseTrace(sketchToOtlp(spans));

describe('drawFlame', () => {
  // a 1,000 ms root with a long-named child and 200 spans of 1 ms under it, one failed; 1 px = 1 ms at width 1000
  const spans: SpanSketch[] = [
    { id: 'root', service: 'gw', name: 'GET', start: 0, end: 1000 },
    { id: 'kid', parent: 'root', service: 'core', name: 'a-rather-long-operation-name', start: 0, end: 100 },
    { id: 'tiny', parent: 'root', service: 'core', name: 'x', start: 500, end: 500.2 },
  ];
  for (let k = 0; k < 200; k++) {
    spans.push({
      id: `q${k}`,
      parent: 'kid',
      service: 'db',
      name: 'q',
      start: k * 0.5,
      end: k * 0.5 + 0.4,
      error: k === 7,
    });
  }
  const t = build(spans);
  const layout = timeLayout(t);
  const colors = flameColors(theme, ['#111111', '#222222', '#333333']);
  const draw = (width: number, zoom = -1, scrollTop = 0, height = 400) => {
    const r = recorder();
    const drawn = drawFlame(r.ctx, layout, {
      view: zoomTo(layout, zoom, width),
      height,
      scrollTop,
      dpr: 2,
      colors,
      label: (b) => t.spans[layout.item[b]].name,
      focused: -1,
      hovered: -1,
    });
    return { ...r, drawn };
  };

  it('merges boxes under a pixel into runs, marked when one failed', () => {
    const { rects, drawn } = draw(1000);
    const level2 = rects.filter((r) => r.y === 2 * ROW);
    // 200 spans of 0.4 px, each 0.5 px apart: one run of 100 px, marked red along its top for the failed one
    expect(level2).toEqual([
      { x: 0, y: 2 * ROW, w: 99.9, fill: colors.merged },
      { x: 0, y: 2 * ROW, w: 99.9, fill: colors.error },
    ]);
    // root, kid, the tiny span (its own run of 1 px), the run and its mark
    expect(drawn).toBe(5);
    const level1 = rects.filter((r) => r.y === ROW);
    expect(level1.map((r) => [Math.round(r.x), r.fill])).toEqual([
      [0, colors.service[t.services.indexOf('core')]],
      [500, colors.merged],
    ]);
  });

  it('cuts labels to their box with an ellipsis and gives none to narrow boxes', () => {
    const { texts } = draw(1000);
    // kid: 100 px, 99 after the gap, 91 for text: 13 characters of 7 px, so 12 and the ellipsis
    expect(texts.map((x) => x.text)).toEqual(['GET', 'a-rather-lon…']);
    // zoomed into kid, its 200 spans are 5 px each: drawn one by one, too narrow for labels
    const zoomed = draw(1000, 1);
    expect(zoomed.texts.map((x) => x.text)).toEqual(['GET', 'a-rather-long-operation-name']);
    expect(zoomed.rects.filter((r) => r.y === 2 * ROW)).toHaveLength(200);
    expect(zoomed.strokes.filter((s) => s.color === colors.error)).toHaveLength(1);
  });

  it('draws a box that the next of its row overlaps by a sliver up to that one’s start, each with its label', () => {
    const t2 = build([
      { id: 'root', service: 'gw', name: 'GET', start: 0, end: 1000 },
      { id: 'a', parent: 'root', service: 'core', name: 'first', start: 0, end: 506 },
      { id: 'b', parent: 'root', service: 'core', name: 'second', start: 500, end: 1000 },
    ]);
    const l2 = timeLayout(t2);
    expect(l2.level[1]).toBe(l2.level[2]); // 6 ms of 500: one row
    const r = recorder();
    drawFlame(r.ctx, l2, {
      view: zoomTo(l2, -1, 1000),
      height: 400,
      scrollTop: 0,
      dpr: 1,
      colors,
      label: (b) => t2.spans[l2.item[b]].name,
      focused: -1,
      hovered: -1,
    });
    // the first 0..500 less the gap, the second from 500: apart, not one long box
    expect(r.rects.filter((x) => x.y === ROW).map((x) => [x.x, x.w])).toEqual([
      [0, 499],
      [500, 499],
    ]);
    expect(r.texts.map((x) => x.text)).toEqual(['GET', 'first', 'second']);
  });

  it('draws only the levels scrolled into view', () => {
    const { rects } = draw(1000, -1, ROW * 2, ROW);
    expect(new Set(rects.slice(1).map((r) => r.y))).toEqual(new Set([0]));
  });
});
