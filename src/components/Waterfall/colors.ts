import { GrafanaTheme2, colorManipulator } from '@grafana/data';
import { SPAN_KIND_NAMES, StatusCode, Trace } from '../../trace';

export type ColorBy = 'service' | 'kind' | 'status';

/** FNV-1a: the same service gets the same colour in every trace and every session. */
export function stableHash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

// Per theme: the palette colours that stand out on the panel background and are not red, which
// the waterfall keeps for errors.
const usable = new WeakMap<GrafanaTheme2, string[]>();

function serviceColors(theme: GrafanaTheme2): string[] {
  let list = usable.get(theme);
  if (!list) {
    const { palette, getColorByName } = theme.visualization;
    const all = palette.map((name) => getColorByName(name));
    const background = theme.colors.background.primary;
    list = all.filter((c) => colorManipulator.getContrastRatio(c, background) >= 2.5 && !isReddish(c));
    if (list.length === 0) {
      list = all;
    }
    usable.set(theme, list);
  }
  return list;
}

function isReddish(color: string): boolean {
  const { values } = colorManipulator.decomposeColor(colorManipulator.asRgbString(color));
  const [r, g, b] = values;
  const max = Math.max(r, g, b);
  const min = Math.min(r, g, b);
  if (max !== r || max - min < 40) {
    return false;
  }
  const hue = (60 * (g - b)) / (max - min);
  return hue > -20 && hue < 20;
}

/** A colour from the theme's visualization palette, picked by a stable hash of the name. */
export function paletteColor(theme: GrafanaTheme2, name: string): string {
  const list = serviceColors(theme);
  return list[stableHash(name) % list.length];
}

/**
 * Each service's colour: its hashed palette slot, or the next free slot when another service of
 * the trace (taken in name order) already has it, so that a trace never shows two services alike
 * while it has fewer services than the palette has colours.
 */
export function serviceColorsFor(theme: GrafanaTheme2, services: string[]): string[] {
  const list = serviceColors(theme);
  const taken = new Set<number>();
  const out: string[] = new Array(services.length);
  const byName = services.map((name, i) => ({ name, i })).sort((a, b) => (a.name < b.name ? -1 : 1));
  for (const { name, i } of byName) {
    let slot = stableHash(name) % list.length;
    for (let k = 0; k < list.length && taken.has(slot); k++) {
      slot = (slot + 1) % list.length;
    }
    taken.add(slot);
    out[i] = list[slot];
  }
  return out;
}

/**
 * Colours of a trace's bars: `colors[key[span]]`, so that a row looks its colour up in two typed
 * array reads whatever the colouring.
 */
export interface BarColors {
  key: Int32Array | Uint8Array;
  colors: string[];
  /** what each colour stands for, for the legend */
  labels: string[];
}

export function barColors(theme: GrafanaTheme2, trace: Trace, by: ColorBy): BarColors {
  if (by === 'kind') {
    const labels = SPAN_KIND_NAMES.slice();
    return { key: trace.kind, colors: labels.map((k) => paletteColor(theme, `kind:${k}`)), labels };
  }
  if (by === 'status') {
    const colors: string[] = [];
    colors[StatusCode.Unset] = theme.colors.primary.main;
    colors[StatusCode.Ok] = theme.colors.success.main;
    colors[StatusCode.Error] = theme.colors.error.main;
    return { key: trace.statusCode, colors, labels: ['unset', 'ok', 'error'] };
  }
  return { key: trace.serviceIndex, colors: serviceColorsFor(theme, trace.services), labels: trace.services.slice() };
}
