/**
 * Span and trace IDs: the model uses lower-case hex of full length (16 / 32 characters).
 * Tempo's trace-by-ID API writes IDs as base64 of the raw bytes (protobuf JSON), OTLP/JSON and
 * Jaeger write hex, and Grafana frames may drop leading zeros. Conversions go through lookup
 * tables, two base64 characters (12 bits) to three hex digits at a time, because they run twice
 * per span.
 */

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const HEX = '0123456789abcdef';

/** char code -> sextet, -1 if not base64 (accepts the URL-safe alphabet too) */
const B64_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) {
  B64_VALUE[B64.charCodeAt(i)] = i;
}
B64_VALUE[45] = 62; // '-'
B64_VALUE[95] = 63; // '_'

/** char code -> hex digit value, -1 if not hex; upper case accepted */
const HEX_VALUE = new Int8Array(128).fill(-1);
for (let i = 0; i < 16; i++) {
  HEX_VALUE[HEX.charCodeAt(i)] = i;
  HEX_VALUE[HEX.toUpperCase().charCodeAt(i)] = i;
}

/** 12-bit value -> 3 hex digits; 12-bit value -> 2 base64 characters */
const HEX3: string[] = new Array(4096);
const B64_2: string[] = new Array(4096);
for (let v = 0; v < 4096; v++) {
  HEX3[v] = HEX[v >> 8] + HEX[(v >> 4) & 15] + HEX[v & 15];
  B64_2[v] = B64[v >> 6] + B64[v & 63];
}

/** Only after validBase64. */
function sextet(s: string, i: number): number {
  return B64_VALUE[s.charCodeAt(i)];
}

/** Returns 0 if `s` is all lower-case hex, 1 if hex with upper case, -1 if not hex. */
function hexKind(s: string): number {
  let upper = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 48 && c <= 57) || (c >= 97 && c <= 102)) {
      continue;
    }
    if (c >= 65 && c <= 70) {
      upper = 1;
      continue;
    }
    return -1;
  }
  return upper;
}

/** Hex digit char codes, for building IDs with one String.fromCharCode call: a flat string, which
 * hashes and compares faster than the rope that concatenation makes (about 2x on Map lookups). */
const HC = new Uint8Array(16);
for (let i = 0; i < 16; i++) {
  HC[i] = HEX.charCodeAt(i);
}

function validBase64(s: string, n: number): boolean {
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c > 127 || B64_VALUE[c] < 0) {
      return false;
    }
  }
  return true;
}

function spanFromBase64(s: string): string | null {
  if (!validBase64(s, 11)) {
    return null;
  }
  const v0 = (sextet(s, 0) << 6) | sextet(s, 1);
  const v1 = (sextet(s, 2) << 6) | sextet(s, 3);
  const v2 = (sextet(s, 4) << 6) | sextet(s, 5);
  const v3 = (sextet(s, 6) << 6) | sextet(s, 7);
  const v4 = (sextet(s, 8) << 6) | sextet(s, 9);
  const last = sextet(s, 10);
  if ((last & 3) !== 0) {
    return null;
  }
  // prettier-ignore
  return String.fromCharCode(
    HC[v0 >> 8], HC[(v0 >> 4) & 15], HC[v0 & 15], HC[v1 >> 8], HC[(v1 >> 4) & 15], HC[v1 & 15],
    HC[v2 >> 8], HC[(v2 >> 4) & 15], HC[v2 & 15], HC[v3 >> 8], HC[(v3 >> 4) & 15], HC[v3 & 15],
    HC[v4 >> 8], HC[(v4 >> 4) & 15], HC[v4 & 15], HC[last >> 2]
  );
}

function traceFromBase64(s: string): string | null {
  if (!validBase64(s, 22)) {
    return null;
  }
  let acc = '';
  for (let i = 0; i < 20; i += 2) {
    acc += HEX3[(sextet(s, i) << 6) | sextet(s, i + 1)];
  }
  const a = sextet(s, 20);
  const b = sextet(s, 21);
  if ((b & 15) !== 0) {
    return null;
  }
  return acc + HEX[a >> 2] + HEX[((a & 3) << 2) | (b >> 4)];
}

/**
 * A span ID as 16 lower-case hex digits, or null if `s` is neither 16 hex digits nor 8 base64
 * bytes. `lenient` (Grafana frames, Jaeger) also accepts shorter hex with leading zeros dropped.
 */
export function spanIdToHex(s: string, lenient = false): string | null {
  const n = s.length;
  if (n === 16) {
    const k = hexKind(s);
    return k === 0 ? s : k === 1 ? s.toLowerCase() : null;
  }
  if ((n === 12 && s.charCodeAt(11) === 61) || n === 11) {
    return spanFromBase64(s);
  }
  if (lenient && n > 0 && n < 16) {
    const k = hexKind(s);
    return k < 0 ? null : '0000000000000000'.slice(n) + s.toLowerCase();
  }
  return null;
}

/**
 * A trace ID as 32 lower-case hex digits, or null if `s` is neither hex (32 digits, or 16 for a
 * 64-bit ID) nor 16 base64 bytes. `lenient` accepts any hex up to 32 digits (frames trim zeros).
 */
export function traceIdToHex(s: string, lenient = false): string | null {
  const n = s.length;
  if (n === 32) {
    const k = hexKind(s);
    return k === 0 ? s : k === 1 ? s.toLowerCase() : null;
  }
  if ((n === 24 && s.charCodeAt(23) === 61 && s.charCodeAt(22) === 61) || (n === 22 && hexKind(s) < 0)) {
    return traceFromBase64(s);
  }
  if (n === 16 || (lenient && n > 0 && n < 32)) {
    const k = hexKind(s);
    return k < 0 ? null : '00000000000000000000000000000000'.slice(n) + s.toLowerCase();
  }
  return null;
}

function hex3(s: string, i: number): number {
  return (HEX_VALUE[s.charCodeAt(i)] << 8) | (HEX_VALUE[s.charCodeAt(i + 1)] << 4) | HEX_VALUE[s.charCodeAt(i + 2)];
}

/** 16 hex digits -> base64 of the 8 bytes, as Tempo writes span IDs. */
export function spanIdToBase64(hex: string): string {
  let acc = '';
  for (let i = 0; i < 15; i += 3) {
    acc += B64_2[hex3(hex, i)];
  }
  return acc + B64[HEX_VALUE[hex.charCodeAt(15)] << 2] + '=';
}

/** 32 hex digits -> base64 of the 16 bytes, as Tempo writes trace IDs. */
export function traceIdToBase64(hex: string): string {
  let acc = '';
  for (let i = 0; i < 30; i += 3) {
    acc += B64_2[hex3(hex, i)];
  }
  const last = (HEX_VALUE[hex.charCodeAt(30)] << 8) | (HEX_VALUE[hex.charCodeAt(31)] << 4);
  return acc + B64_2[last] + '==';
}

const ZERO_SPAN = '0000000000000000';
/** All-zero span IDs mean "no parent" in OTLP and Jaeger. */
export function isZeroSpanId(hex: string): boolean {
  return hex === ZERO_SPAN;
}

/**
 * Span ID -> index table keyed by the ID's two 32-bit halves. Looking up 16-character strings
 * in a Map hashes every string object once more; this parses each hex ID into two ints instead
 * and probes typed arrays (open addressing, linear probing).
 */
export class SpanIdTable {
  private readonly hi: Int32Array;
  private readonly lo: Int32Array;
  private readonly val: Int32Array;
  private readonly mask: number;
  /** halves of the last ID passed to `parse` */
  h = 0;
  l = 0;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) {
      size <<= 1;
    }
    this.hi = new Int32Array(size);
    this.lo = new Int32Array(size);
    this.val = new Int32Array(size).fill(-1);
    this.mask = size - 1;
  }

  /** Splits a 16-digit lower-case hex ID into `h` and `l`. */
  parse(hex: string): void {
    let h = 0;
    let l = 0;
    for (let i = 0; i < 8; i++) {
      h = (h << 4) | HEX_VALUE[hex.charCodeAt(i)];
      l = (l << 4) | HEX_VALUE[hex.charCodeAt(i + 8)];
    }
    this.h = h;
    this.l = l;
  }

  private slot(h: number, l: number): number {
    let x = Math.imul(h ^ (l >>> 15), 0x2c1b3c6d) ^ Math.imul(l ^ (h >>> 13), 0x297a2d39);
    x ^= x >>> 16;
    let s = x & this.mask;
    while (this.val[s] >= 0 && (this.hi[s] !== h || this.lo[s] !== l)) {
      s = (s + 1) & this.mask;
    }
    return s;
  }

  /** Index stored for a 16-digit lower-case hex ID, or -1. */
  find(hex: string): number {
    this.parse(hex);
    return this.get();
  }

  /** Index stored for the last parsed ID, or -1. */
  get(): number {
    return this.val[this.slot(this.h, this.l)];
  }

  /** Stores `index` for the last parsed ID, replacing any previous one. */
  set(index: number): void {
    const s = this.slot(this.h, this.l);
    this.hi[s] = this.h;
    this.lo[s] = this.l;
    this.val[s] = index;
  }
}
