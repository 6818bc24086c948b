import { GrafanaTheme2 } from '@grafana/data';
import { FlameLayout, FlameView, ROW, toPx } from './layout';

/** Colours of one drawing, from the theme (service colours from the waterfall's palette). */
export interface FlameColors {
  /** by service index */
  service: string[];
  /** label colour on each service's colour */
  label: string[];
  background: string;
  /** boxes under a pixel, merged */
  merged: string;
  error: string;
  /** the focused box's outline, and the self-time stripe */
  outline: string;
  font: string;
}

export function flameColors(theme: GrafanaTheme2, service: string[]): FlameColors {
  return {
    service,
    label: service.map((c) => theme.colors.getContrastText(c)),
    background: theme.colors.background.primary,
    merged: theme.colors.text.disabled,
    error: theme.colors.error.main,
    outline: theme.colors.text.primary,
    font: `${theme.typography.bodySmall.fontSize} ${theme.typography.fontFamily}`,
  };
}

export interface DrawOptions {
  view: FlameView;
  height: number;
  /** CSS pixels scrolled down */
  scrollTop: number;
  dpr: number;
  colors: FlameColors;
  /** each box's label: its operation */
  label: (box: number) => string;
  focused: number;
  hovered: number;
}

/** Gap between neighbouring boxes and under each row, CSS pixels. */
const GAP = 1;
/** Boxes narrower than this get no label. */
const LABEL_MIN_PX = 28;
const PAD = 4;
const MAX_LABEL = 400;

/**
 * Draws the visible rows of the layout: one pass over each visible level's boxes (sorted by x), the ones past the
 * right edge skipped, boxes under a pixel merged into runs drawn once. Returns the number of rectangles drawn.
 */
export function drawFlame(ctx: CanvasRenderingContext2D, layout: FlameLayout, o: DrawOptions): number {
  const { view, height, scrollTop, colors } = o;
  ctx.setTransform(o.dpr, 0, 0, o.dpr, 0, 0);
  ctx.fillStyle = colors.background;
  ctx.fillRect(0, 0, view.width, height);
  ctx.font = colors.font;
  ctx.textBaseline = 'middle';
  // Labels cut to their box with an ellipsis, by measured widths (a label repeats a lot: measured once a drawing).
  const widths = new Map<string, number>();
  const measure = (text: string) => {
    let w = widths.get(text);
    if (w === undefined) {
      w = ctx.measureText(text).width;
      widths.set(text, w);
    }
    return w;
  };
  const fit = (label: string, room: number): string => {
    // no box is wide enough for more than this; measuring a span name of megabytes would stall the frame
    const text = label.length > MAX_LABEL ? label.slice(0, MAX_LABEL) : label;
    const full = measure(text);
    if (full <= room) {
      return text;
    }
    // from the proportional guess down, a character at a time (one or two steps in practice)
    for (let k = Math.floor((text.length * room) / full), tries = 0; k > 0 && tries < 16; k--, tries++) {
      const cut = `${text.slice(0, k)}…`;
      if (ctx.measureText(cut).width <= room) {
        return k > 1 ? cut : '';
      }
    }
    return '';
  };
  const { x0, x1, levelBox, levelOffset, service, error, selfW } = layout;
  const firstLevel = Math.max(0, Math.floor(scrollTop / ROW));
  const lastLevel = Math.min(layout.levels - 1, Math.floor((scrollTop + height) / ROW));
  let drawn = 0;
  for (let l = firstLevel; l <= lastLevel; l++) {
    const y = l * ROW - scrollTop;
    let runStart = -1;
    let runEnd = -1;
    let runError = false;
    const flush = () => {
      if (runStart >= 0) {
        const w = Math.max(1, runEnd - runStart);
        ctx.fillStyle = colors.merged;
        ctx.fillRect(runStart, y, w, ROW - GAP);
        drawn++;
        if (runError) {
          // a failed span among them: a mark along the top, not the whole run red (one in a thousand would do)
          ctx.fillStyle = colors.error;
          ctx.fillRect(runStart, y, w, 3);
          drawn++;
        }
        runStart = -1;
        runError = false;
      }
    };
    for (let k = levelOffset[l]; k < levelOffset[l + 1]; k++) {
      const b = levelBox[k];
      const p0 = toPx(view, x0[b]);
      if (p0 > view.width) {
        break;
      }
      // a box that the next one of its level overlaps by a sliver (`SLIVER`) is drawn up to that one's start, with
      // the gap between: two boxes, not one long one, and its label not under the next
      const next = k + 1 < levelOffset[l + 1] ? levelBox[k + 1] : -1;
      const p1 = toPx(view, next >= 0 && x0[next] < x1[b] ? Math.max(x0[b], x0[next]) : x1[b]);
      if (p1 < 0) {
        continue;
      }
      if (p1 - p0 < 1) {
        if (runStart >= 0 && p0 <= runEnd + 1) {
          runEnd = Math.max(runEnd, p1);
        } else {
          flush();
          runStart = Math.max(0, p0);
          runEnd = p1;
        }
        runError = runError || error[b] === 1;
        continue;
      }
      flush();
      const left = Math.max(0, p0);
      const right = Math.min(view.width, p1);
      const w = right - left - (right - left > 2 ? GAP : 0);
      ctx.fillStyle = colors.service[service[b]];
      ctx.fillRect(left, y, w, ROW - GAP);
      drawn++;
      if (selfW[b] > 0) {
        // the self time, a stripe along the bottom from the box's left
        const sw = Math.min(w, (selfW[b] * view.width) / (view.to - view.from || 1));
        if (sw >= 1) {
          ctx.globalAlpha = 0.55;
          ctx.fillStyle = colors.outline;
          ctx.fillRect(left, y + ROW - GAP - 3, sw, 3);
          ctx.globalAlpha = 1;
        }
      }
      if (error[b] === 1 && w >= 3) {
        ctx.strokeStyle = colors.error;
        ctx.lineWidth = 2;
        ctx.strokeRect(left + 1, y + 1, w - 2, ROW - GAP - 2);
      }
      if (w >= LABEL_MIN_PX) {
        const text = fit(o.label(b), w - 2 * PAD);
        if (text) {
          ctx.fillStyle = colors.label[service[b]];
          ctx.fillText(text, left + PAD, y + (ROW - GAP) / 2);
        }
      }
    }
    flush();
  }
  for (const [b, width] of [
    [o.hovered, 1],
    [o.focused, 2],
  ]) {
    if (b >= 0 && b < layout.n && layout.level[b] >= firstLevel && layout.level[b] <= lastLevel) {
      const left = Math.max(0, toPx(view, x0[b]));
      const right = Math.min(view.width, Math.max(toPx(view, x1[b]), left + 1));
      ctx.strokeStyle = colors.outline;
      ctx.lineWidth = width;
      ctx.strokeRect(
        left + width / 2,
        layout.level[b] * ROW - scrollTop + width / 2,
        right - left - width,
        ROW - GAP - width
      );
    }
  }
  return drawn;
}
