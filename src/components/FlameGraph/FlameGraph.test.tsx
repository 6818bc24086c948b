import React from 'react';
import { fireEvent, render, screen, within } from '@testing-library/react';
import { parseTrace, pathTree, Trace } from '../../trace';
import { fixtureText } from '../../testing/traces';
import { testIds } from '../testIds';
import { FlameGraph } from './FlameGraph';
import { FlameLayout, ROW, pathLayout, timeLayout, toPx, zoomTo } from './layout';

const ids = testIds.flameGraph;
/** The stage's width where there is no layout (jsdom): the component's fallback. */
const WIDTH = 800;

function setup() {
  const trace = parseTrace(fixtureText('tempo-2.7.2/trace-v2.json'));
  const onOpenSpan = jest.fn();
  render(<FlameGraph trace={trace} height={500} onOpenSpan={onOpenSpan} />);
  return { trace, onOpenSpan, canvas: screen.getByTestId(ids.canvas) };
}

/** A mouse event's coordinates at the middle of box `b` (jsdom's canvas sits at 0, 0). */
function at(layout: FlameLayout, b: number, zoomed = -1) {
  const view = zoomTo(layout, zoomed, WIDTH);
  const left = Math.max(0, toPx(view, layout.x0[b]));
  const right = Math.min(WIDTH, toPx(view, layout.x1[b]));
  return { clientX: (left + right) / 2, clientY: layout.level[b] * ROW + ROW / 2 };
}

const details = () => screen.getByTestId(ids.details).textContent;
const firstChild = (t: Trace, i: number) => t.childIndex[t.childOffset[i]];

describe('FlameGraph', () => {
  it('draws the trace by time, a box per span, and opens a span from the keyboard', () => {
    const { trace, onOpenSpan, canvas } = setup();
    expect(canvas.dataset.mode).toBe('time');
    expect(canvas.dataset.boxes).toBe(String(trace.spans.length));
    expect(
      within(screen.getByRole('radiogroup', { name: 'Flame graph layout' })).getByRole('radio', { name: 'By time' })
    ).toBeChecked();

    fireEvent.focus(canvas);
    expect(details()).toContain('click push');
    expect(details()).toContain('harbor-ui');
    fireEvent.keyDown(canvas, { key: 'ArrowDown' });
    const child = firstChild(trace, trace.root);
    expect(details()).toContain(trace.spans[child].name);
    fireEvent.keyDown(canvas, { key: 'ArrowUp' });
    expect(details()).toContain('click push');
    fireEvent.keyDown(canvas, { key: 'ArrowDown' });
    fireEvent.keyDown(canvas, { key: 'Enter' });
    expect(onOpenSpan).toHaveBeenCalledWith(child);

    // the details line's button opens the focused span too
    fireEvent.click(within(screen.getByTestId(ids.details)).getByRole('button', { name: /Open in timeline/ }));
    expect(onOpenSpan).toHaveBeenLastCalledWith(child);
  });

  it('shows a box’s figures on hover, zooms into it on click, resets the zoom, opens it on double-click', () => {
    const { trace, onOpenSpan, canvas } = setup();
    const layout = timeLayout(trace);
    // the gateway's first box, one level down from the browser's root
    const b = 1;
    const span = layout.item[b];
    // focus by a click off the boxes focuses none of them (the keyboard's focus starts at the top box)
    fireEvent.mouseDown(canvas, { clientX: 10, clientY: (layout.levels + 2) * ROW });
    fireEvent.focus(canvas);
    expect(canvas.dataset.focused).toBe('-1');
    fireEvent.mouseMove(canvas, at(layout, b));
    const tip = screen.getByTestId(ids.tooltip);
    expect(tip).toHaveTextContent(trace.spans[span].name);
    expect(tip).toHaveTextContent(trace.services[trace.serviceIndex[span]]);
    expect(tip).toHaveTextContent(/self/);
    fireEvent.mouseLeave(canvas);
    expect(screen.queryByTestId(ids.tooltip)).not.toBeInTheDocument();

    fireEvent.click(canvas, at(layout, b));
    expect(Number(canvas.dataset.from)).toBe(layout.x0[b]);
    expect(Number(canvas.dataset.to)).toBe(layout.x1[b]);
    // each crumb says service · operation (the harbor-ui and gateway spans of one name apart), the whole in its title
    expect(screen.getByTestId(ids.crumb(0))).toHaveTextContent('harbor-ui · click push');
    const crumb = `${trace.services[trace.serviceIndex[span]]} · ${trace.spans[span].name}`;
    expect(screen.getByTestId(ids.crumb(1))).toHaveTextContent(crumb);
    expect(screen.getByTestId(ids.crumb(1)).title.replace(/[\u2068\u2069]/g, '')).toBe(crumb);
    // the root's crumb zooms out to it
    fireEvent.click(screen.getByTestId(ids.crumb(0)));
    expect(Number(canvas.dataset.to)).toBe(layout.x1[0]);
    fireEvent.click(screen.getByTestId(ids.resetZoom));
    expect(screen.queryByTestId(ids.breadcrumb)).not.toBeInTheDocument();
    expect([Number(canvas.dataset.from), Number(canvas.dataset.to)]).toEqual([0, trace.endNs - trace.startNs]);

    fireEvent.doubleClick(canvas, at(layout, b));
    expect(onOpenSpan).toHaveBeenCalledWith(span);
    // a click where there is no box changes nothing
    fireEvent.click(canvas, { clientX: 10, clientY: (layout.levels + 2) * ROW });
    expect(canvas.dataset.focused).toBe(String(b));
  });

  it('opens the box a double-click began on, though its first click’s zoom moved the canvas under the pointer', () => {
    const { trace, onOpenSpan, canvas } = setup();
    const layout = timeLayout(trace);
    // the bottom row's box ("job scan"), the review's case
    const b = layout.levelBox[layout.levelOffset[layout.levels - 1]];
    expect(trace.spans[layout.item[b]].name).toBe('job scan');
    const point = at(layout, b);
    fireEvent.mouseDown(canvas, { ...point, detail: 1 });
    fireEvent.click(canvas, { ...point, detail: 1 });
    expect(Number(canvas.dataset.from)).toBe(layout.x0[b]);
    // the canvas moves down a row under the still pointer (as a wrapping breadcrumb did): the point is now over
    // the row above
    canvas.getBoundingClientRect = () => ({ ...new DOMRect(0, ROW, WIDTH, 500), toJSON: () => ({}) });
    fireEvent.mouseDown(canvas, { ...point, detail: 2 });
    fireEvent.click(canvas, { ...point, detail: 2 });
    fireEvent.doubleClick(canvas, { ...point, detail: 2 });
    expect(onOpenSpan).toHaveBeenCalledTimes(1);
    expect(onOpenSpan).toHaveBeenCalledWith(layout.item[b]);
    // the second click did not zoom into the box now under the pointer
    expect(Number(canvas.dataset.from)).toBe(layout.x0[b]);
  });

  it('switches to paths of service + operation: totals of a path, zoom with Enter, its slowest span shown', () => {
    const { trace, onOpenSpan, canvas } = setup();
    fireEvent.click(screen.getByRole('radio', { name: 'By service + operation' }));
    const tree = pathTree(trace);
    const layout = pathLayout(tree);
    expect(canvas.dataset.mode).toBe('paths');
    expect(canvas.dataset.boxes).toBe(String(tree.size));

    fireEvent.focus(canvas);
    fireEvent.keyDown(canvas, { key: 'ArrowDown' });
    const b = 1;
    const id = layout.item[b];
    expect(details()).toContain(tree.name[id]);
    expect(details()).toMatch(/1 span, total .* self/);
    fireEvent.keyDown(canvas, { key: 'Enter' });
    expect(Number(canvas.dataset.from)).toBe(layout.x0[b]);
    expect(onOpenSpan).not.toHaveBeenCalled();
    fireEvent.keyDown(canvas, { key: 'Escape' });
    expect(screen.queryByTestId(ids.breadcrumb)).not.toBeInTheDocument();

    fireEvent.click(screen.getByTestId(ids.open));
    expect(onOpenSpan).toHaveBeenCalledWith(tree.slowest[id]);

    // back to time: the zoom and focus start over
    fireEvent.click(canvas, at(layout, 2));
    expect(screen.getByTestId(ids.breadcrumb)).toBeInTheDocument();
    fireEvent.click(screen.getByRole('radio', { name: 'By time' }));
    expect(canvas.dataset.mode).toBe('time');
    expect(canvas.dataset.focused).toBe('-1');
    expect(screen.queryByTestId(ids.breadcrumb)).not.toBeInTheDocument();
  });
});
