import { GrafanaTheme2, colorManipulator } from '@grafana/data';
import { SPAN_KIND_NAMES, StatusCode, Trace, serviceCounts } from '../../trace';

export type ColorBy = 'service' | 'kind' | 'status';

/**
 * Qualitative palettes, one per theme: eight hues that stay apart (CIE ΔE above 20 between any
 * two, tested), none of them red or pink, which the waterfall keeps for errors. Dark bars are
 * light and light bars are dark, so each stands out on its own background. The order alternates
 * warm and cool hues, so the first services of a trace (the ones most often side by side) differ
 * the most.
 */
export const SERVICE_PALETTE = {
  dark: ['#5794F2', '#FF9830', '#73BF69', '#B877D9', '#FADE2A', '#4FD1D9', '#C8A27A', '#D4E157'],
  light: ['#1F60C4', '#D96400', '#2E7D32', '#8A3FC0', '#A88200', '#00838F', '#8D5524', '#5F7A00'],
} as const;

/** The theme's palette; colour `k` of a trace is `palette[k % 8]`, shifted in tone on each further round. */
export function paletteColor(theme: GrafanaTheme2, k: number): string {
  const palette = theme.isDark ? SERVICE_PALETTE.dark : SERVICE_PALETTE.light;
  const base = palette[k % palette.length];
  const round = Math.floor(k / palette.length);
  if (round === 0) {
    return base;
  }
  // Past eight services hues repeat: lighter on dark backgrounds, darker on light ones, so that
  // the repeat still reads against the background and differs from the first round.
  const amount = Math.min(0.6, 0.3 * round);
  return theme.isDark ? colorManipulator.lighten(base, amount) : colorManipulator.darken(base, amount);
}

/**
 * The services of a trace in the order they first appear in the waterfall (pre-order, so the
 * root's service first, then the services it calls): service indices into `trace.services`.
 */
export function servicesInOrder(trace: Trace): number[] {
  const seen = new Uint8Array(trace.services.length);
  const out: number[] = [];
  const { order, serviceIndex } = trace;
  for (let k = 0; k < order.length && out.length < trace.services.length; k++) {
    const s = serviceIndex[order[k]];
    if (seen[s] === 0) {
      seen[s] = 1;
      out.push(s);
    }
  }
  // Services of no span in the tree (none today) still get a colour.
  for (let s = 0; s < trace.services.length; s++) {
    if (seen[s] === 0) {
      out.push(s);
    }
  }
  return out;
}

/** Each service's colour, by service index: palette colours in order of first appearance. */
export function serviceColorsFor(theme: GrafanaTheme2, trace: Trace): string[] {
  const out: string[] = new Array(trace.services.length);
  servicesInOrder(trace).forEach((s, k) => (out[s] = paletteColor(theme, k)));
  return out;
}

export interface ServiceEntry {
  service: string;
  color: string;
  spans: number;
  errors: number;
}

/** The legend of a trace's services, in order of first appearance, with span and error counts. */
export function serviceLegend(theme: GrafanaTheme2, trace: Trace): ServiceEntry[] {
  const { spans, errors } = serviceCounts(trace);
  const colors = serviceColorsFor(theme, trace);
  return servicesInOrder(trace).map((s) => ({
    service: trace.services[s],
    color: colors[s],
    spans: spans[s],
    errors: errors[s],
  }));
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
    return { key: trace.kind, colors: labels.map((_, k) => paletteColor(theme, k)), labels };
  }
  if (by === 'status') {
    const colors: string[] = [];
    colors[StatusCode.Unset] = theme.colors.primary.main;
    colors[StatusCode.Ok] = theme.colors.success.main;
    colors[StatusCode.Error] = theme.colors.error.main;
    return { key: trace.statusCode, colors, labels: ['unset', 'ok', 'error'] };
  }
  return { key: trace.serviceIndex, colors: serviceColorsFor(theme, trace), labels: trace.services.slice() };
}
