import { RawTimeRange, TimeRange, dateMath, dateTime, isDateTime } from '@grafana/data';

export const DEFAULT_FROM = 'now-1h';
export const DEFAULT_TO = 'now';

/** A URL's `from`/`to` (Grafana's form: `now-1h` or epoch milliseconds) as a raw range, last hour by default. */
export function rawRange(from = DEFAULT_FROM, to = DEFAULT_TO): RawTimeRange {
  const read = (v: string) => (/^\d+$/.test(v) ? dateTime(Number(v)) : v);
  return { from: read(from), to: read(to) };
}

/** The range in epoch milliseconds now ("now" is read at each call), or undefined for text that is no time. */
export function resolveRange(raw: RawTimeRange): { fromMs: number; toMs: number } | undefined {
  // One "now" for both ends: read twice, `now-1h` to `now` could be 1 h and 1 ms (a service map's rates are
  // over exactly the range's length).
  const now = dateTime();
  const from = dateMath.toDateTime(raw.from, { roundUp: false, now });
  const to = dateMath.toDateTime(raw.to, { roundUp: true, now });
  if (!from?.isValid() || !to?.isValid() || from.valueOf() >= to.valueOf()) {
    return undefined;
  }
  return { fromMs: from.valueOf(), toMs: to.valueOf() };
}

export function toTimeRange(raw: RawTimeRange): TimeRange {
  const resolved = resolveRange(raw) ?? resolveRange(rawRange())!;
  return { from: dateTime(resolved.fromMs), to: dateTime(resolved.toMs), raw };
}

/** A range as the URL keeps it: relative text stays relative, times become epoch milliseconds. */
export function urlRange(raw: RawTimeRange): { from: string; to: string } {
  const write = (v: RawTimeRange['from']) => (isDateTime(v) ? String(v.valueOf()) : String(v));
  return { from: write(raw.from), to: write(raw.to) };
}

const LADDER = ['now-5m', 'now-15m', 'now-1h', 'now-3h', 'now-6h', 'now-24h', 'now-2d', 'now-7d', 'now-30d'];
const LADDER_LABELS = [
  '5 minutes',
  '15 minutes',
  '1 hour',
  '3 hours',
  '6 hours',
  '24 hours',
  '2 days',
  '7 days',
  '30 days',
];

/**
 * A wider range to offer when nothing matched: the next step of "last N" for a relative range ending
 * now, else four times as long, ending where it ended. Undefined when already 30 days back.
 */
export function widerRange(from: string, to: string): { from: string; to: string; label: string } | undefined {
  if (to === 'now') {
    const at = LADDER.indexOf(from);
    const resolved = resolveRange(rawRange(from, to));
    const next =
      at >= 0 ? at + 1 : LADDER.findIndex((f) => resolveRange(rawRange(f))!.fromMs < (resolved?.fromMs ?? 0));
    if (next < 0 || next >= LADDER.length) {
      return undefined;
    }
    return { from: LADDER[next], to: 'now', label: `Search the last ${LADDER_LABELS[next]}` };
  }
  const resolved = resolveRange(rawRange(from, to));
  if (!resolved) {
    return undefined;
  }
  const span = resolved.toMs - resolved.fromMs;
  return {
    from: String(resolved.toMs - 4 * span),
    to: String(resolved.toMs),
    label: 'Search a range four times as long',
  };
}

/** Grafana's time picker buttons: half a range back or forward, and zoom out to three times as long. */
export function shiftRange(raw: RawTimeRange, how: 'back' | 'forward' | 'out'): { from: string; to: string } {
  const r = resolveRange(raw) ?? resolveRange(rawRange())!;
  const span = r.toMs - r.fromMs;
  const [from, to] =
    how === 'back'
      ? [r.fromMs - span / 2, r.toMs - span / 2]
      : how === 'forward'
        ? [r.fromMs + span / 2, Math.min(Date.now(), r.toMs + span / 2)]
        : [r.fromMs - span, Math.min(Date.now(), r.toMs + span)];
  return { from: String(Math.floor(from)), to: String(Math.ceil(to)) };
}
