/**
 * Epoch nanoseconds exceed 2^53, so they are never held as one number: an input time is split
 * into whole epoch milliseconds and the nanoseconds within that millisecond, and the model keeps
 * times relative to a trace's base millisecond (exact below 2^53 ns, ~104 days).
 */

/**
 * The latest time the model accepts, in epoch milliseconds: the largest that OTLP's unsigned 64-bit
 * nanoseconds can carry (2^64 - 1 ns, in the year 2554). A time outside [0, MAX_EPOCH_MS] makes its
 * span a bad span in every format, so that every time in a model is finite and every writer's
 * output (decimal nanoseconds, microseconds, float milliseconds) is read back.
 */
export const MAX_EPOCH_MS = 18_446_744_073_709;

/** Result of the last read: whole epoch ms and ns within it. Reused to avoid an object per call. */
export class EpochReader {
  ms = 0;
  sub = 0;

  /** Epoch nanoseconds as a decimal string (OTLP, Tempo) or a number (lossy above 2^53). */
  nanos(v: unknown): boolean {
    if (typeof v === 'string') {
      const n = v.length;
      if (n === 0 || n > 20) {
        return false;
      }
      let hi = 0;
      let lo = 0;
      const split = n - 6;
      for (let i = 0; i < n; i++) {
        const c = v.charCodeAt(i) - 48;
        if (c < 0 || c > 9) {
          return false;
        }
        if (i < split) {
          hi = hi * 10 + c;
        } else {
          lo = lo * 10 + c;
        }
      }
      if (hi > MAX_EPOCH_MS) {
        return false;
      }
      this.ms = hi;
      this.sub = lo;
      return true;
    }
    if (typeof v === 'number' && v >= 0 && v < (MAX_EPOCH_MS + 1) * 1e6) {
      const ms = Math.floor(v / 1e6);
      this.ms = ms;
      this.sub = Math.min(999999, Math.max(0, Math.round(v - ms * 1e6)));
      return true;
    }
    return false;
  }

  /**
   * Moves the time last read by `durNs` nanoseconds (a duration, possibly negative); false when
   * the result is not finite or lies outside [0, MAX_EPOCH_MS] (e.g. `"duration": 1e308`).
   */
  after(durNs: number): boolean {
    if (!Number.isFinite(durNs) || Math.abs(durNs) > (MAX_EPOCH_MS + 1) * 1e6) {
      return false;
    }
    const total = this.sub + durNs;
    const msAdd = Math.floor(total / 1e6);
    const ms = this.ms + msAdd;
    if (ms === -1) {
      // within a millisecond before the epoch: float milliseconds' rounding of a span that ends at it
      this.ms = 0;
      this.sub = 0;
      return true;
    }
    if (ms < 0 || ms > MAX_EPOCH_MS) {
      return false;
    }
    this.ms = ms;
    this.sub = Math.min(999999, Math.max(0, total - msAdd * 1e6));
    return true;
  }

  /** Epoch microseconds (Jaeger). */
  micros(v: unknown): boolean {
    if (typeof v !== 'number' || !(v >= 0 && v < (MAX_EPOCH_MS + 1) * 1000)) {
      return false;
    }
    const us = Math.round(v);
    const ms = Math.floor(us / 1000);
    this.ms = ms;
    this.sub = (us - ms * 1000) * 1000;
    return true;
  }

  /**
   * Epoch milliseconds as a float (Grafana frames). A float64 holds ~0.25 µs at today's epoch, so
   * the fraction is rounded to whole microseconds, the precision the source really has.
   */
  millis(v: unknown): boolean {
    if (typeof v !== 'number' || !(v >= 0 && v < MAX_EPOCH_MS + 1)) {
      return false;
    }
    let ms = Math.floor(v);
    let sub = Math.round((v - ms) * 1000) * 1000;
    if (sub >= 1e6) {
      ms += 1;
      sub -= 1e6;
    }
    if (ms > MAX_EPOCH_MS) {
      return false;
    }
    this.ms = ms;
    this.sub = sub;
    return true;
  }
}

const PAD6 = ['', '0', '00', '000', '0000', '00000', '000000'];

/**
 * Decimal epoch-nanosecond string of a model time: digits only, never an exponent, as the readers
 * read it (beyond 2^53 ns from the epoch millisecond, through BigInt).
 */
export function epochNanosString(epochMs: number, relNs: number): string {
  const ns = Math.round(relNs);
  if (!Number.isSafeInteger(ns) || !Number.isSafeInteger(epochMs)) {
    if (!Number.isFinite(ns) || !Number.isFinite(epochMs)) {
      return '0';
    }
    const abs = BigInt(Math.round(epochMs)) * BigInt(1_000_000) + BigInt(ns);
    return (abs < BigInt(0) ? BigInt(0) : abs).toString();
  }
  const msOff = Math.floor(ns / 1e6);
  const ms = epochMs + msOff;
  const sub = ns - msOff * 1e6;
  if (ms < 0) {
    // before the epoch only by the inexactness of a time far from epochMs: the readers accept no earlier time
    return '0';
  }
  if (ms === 0) {
    return String(sub);
  }
  const s = String(sub);
  return String(ms) + PAD6[6 - s.length] + s;
}

/**
 * Epoch microseconds of a model time (Jaeger), truncated; never before the epoch (a time far
 * from `epochMs` is not exact, and the readers refuse negative times).
 */
export function epochMicros(epochMs: number, relNs: number): number {
  return Math.max(0, epochMs * 1000 + Math.floor(relNs / 1000));
}

/** Epoch milliseconds of a model time as a float (Grafana frames); never before the epoch. */
export function epochMillis(epochMs: number, relNs: number): number {
  return Math.max(0, epochMs + relNs / 1e6);
}
