import { describeValue, SpanProblem } from './errors';
import { AnyValue, Attribute } from './types';

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * Values nested deeper than this (arrays in arrays, maps in maps) are cut there: the value at
 * that depth becomes the text `DEEP_VALUE_MARKER`, the rest of the span is kept. Reading and
 * writing values recurse at most this deep, so hostile nesting cannot overflow the stack.
 */
export const MAX_VALUE_DEPTH = 32;
export const DEEP_VALUE_MARKER = `[nested deeper than ${MAX_VALUE_DEPTH} levels]`;
const DEEP: AnyValue = { type: 'string', value: DEEP_VALUE_MARKER };

const INT64_MIN = BigInt('-9223372036854775808');
const INT64_MAX = BigInt('9223372036854775807');

/**
 * A 64-bit integer from a JSON number or decimal text: a number when it is a safe integer, a
 * bigint otherwise; undefined outside the int64 range (`1e308` is no int64) or if not an integer.
 */
export function int64From(v: unknown): number | bigint | undefined {
  if (typeof v === 'number') {
    if (Number.isSafeInteger(v)) {
      return v;
    }
    if (!Number.isInteger(v)) {
      return undefined;
    }
    const b = BigInt(v);
    return b >= INT64_MIN && b <= INT64_MAX ? b : undefined;
  }
  if (typeof v === 'string' && /^-?\d{1,19}$/.test(v)) {
    const n = Number(v);
    if (Number.isSafeInteger(n)) {
      return n;
    }
    const b = BigInt(v);
    return b >= INT64_MIN && b <= INT64_MAX ? b : undefined;
  }
  return undefined;
}

/** Sets an own property, also for the key "__proto__" (which `o[k] = v` would take as the prototype). */
export function setOwn(o: Record<string, unknown>, k: string, v: unknown): void {
  if (k === '__proto__') {
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  } else {
    o[k] = v;
  }
}

/** OTLP/JSON AnyValue ({"stringValue": ...} etc.) to the model; null if it is not one. */
export function fromOtlpValue(v: unknown, depth = 0): AnyValue | null {
  if (!isObj(v)) {
    return null;
  }
  const s = v.stringValue;
  if (typeof s === 'string') {
    return { type: 'string', value: s };
  }
  if (v.intValue !== undefined) {
    const i = int64From(v.intValue);
    return i === undefined ? null : { type: 'int', value: i };
  }
  if (v.boolValue !== undefined) {
    return typeof v.boolValue === 'boolean' ? { type: 'bool', value: v.boolValue } : null;
  }
  if (v.doubleValue !== undefined) {
    // protobuf JSON writes NaN and infinities as strings
    const d = typeof v.doubleValue === 'string' ? Number(v.doubleValue) : v.doubleValue;
    return typeof d === 'number' ? { type: 'double', value: d } : null;
  }
  if (v.arrayValue !== undefined) {
    if (depth >= MAX_VALUE_DEPTH) {
      return DEEP;
    }
    if (!isObj(v.arrayValue)) {
      return null;
    }
    const raw = v.arrayValue.values ?? [];
    if (!Array.isArray(raw)) {
      return null;
    }
    const out: AnyValue[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const e = fromOtlpValue(raw[i], depth + 1);
      if (e === null) {
        return null;
      }
      out[i] = e;
    }
    return { type: 'array', value: out };
  }
  if (v.kvlistValue !== undefined) {
    if (depth >= MAX_VALUE_DEPTH) {
      return DEEP;
    }
    if (!isObj(v.kvlistValue)) {
      return null;
    }
    const raw = v.kvlistValue.values ?? [];
    const out = Array.isArray(raw) ? fromOtlpAttributesOrNull(raw, depth + 1) : null;
    return out === null ? null : { type: 'kvlist', value: out };
  }
  if (v.bytesValue !== undefined) {
    return typeof v.bytesValue === 'string' ? { type: 'bytes', value: v.bytesValue } : null;
  }
  if (s === undefined) {
    return { type: 'empty', value: null };
  }
  return null;
}

function fromOtlpAttributesOrNull(raw: unknown[], depth: number): Attribute[] | null {
  const out: Attribute[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const kv = raw[i];
    if (!isObj(kv) || typeof kv.key !== 'string') {
      return null;
    }
    const val = kv.value === undefined ? EMPTY : fromOtlpValue(kv.value, depth);
    if (val === null) {
      return null;
    }
    out[i] = withKey(kv.key, val);
  }
  return out;
}

const EMPTY: AnyValue = { type: 'empty', value: null };

function withKey(key: string, v: AnyValue): Attribute {
  return { key, type: v.type, value: v.value } as Attribute;
}

/**
 * Attribute keys repeat on every span but JSON.parse makes a new string for each occurrence; on a
 * 1M-span trace the copies alone take ~300 MB. Keys are interned: first against the key last seen
 * at the same position (a cheap compare, spans of one kind list keys in the same order), then in a
 * map. Short values that repeat (methods, status codes, systems) go through the same map.
 */
const internMap = new Map<string, string>();
const lastAt: string[] = new Array(64).fill('');
const INTERN_LIMIT = 100_000;

function internKey(k: string, pos: number): string {
  if (pos < 64) {
    const last = lastAt[pos];
    if (last === k) {
      return last;
    }
  }
  let v = internMap.get(k);
  if (v === undefined) {
    if (internMap.size >= INTERN_LIMIT) {
      internMap.clear();
    }
    internMap.set(k, k);
    v = k;
  }
  if (pos < 64) {
    lastAt[pos] = v;
  }
  return v;
}

/**
 * OTLP/JSON attributes (`[{key, value: AnyValue}]`) to the model. Hot path: a string value is
 * read without going through the generic decoder. Throws SpanProblem naming the bad entry.
 */
export function fromOtlpAttributes(raw: unknown, field: string): Attribute[] {
  if (raw === undefined || raw === null) {
    return [];
  }
  if (!Array.isArray(raw)) {
    throw new SpanProblem(field, `expected a list of {key, value}, got ${describeValue(raw)}`);
  }
  const out: Attribute[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const kv = raw[i];
    if (!isObj(kv) || typeof kv.key !== 'string') {
      throw new SpanProblem(`${field}[${i}]`, `expected {key: string, value}, got ${describeValue(kv)}`);
    }
    const v = kv.value;
    const key = internKey(kv.key, i);
    if (isObj(v) && typeof v.stringValue === 'string') {
      out[i] = { key, type: 'string', value: v.stringValue };
      continue;
    }
    const val = v === undefined ? EMPTY : fromOtlpValue(v);
    if (val === null) {
      throw new SpanProblem(
        `${field}[${i}].value`,
        `expected an OTLP AnyValue such as {"stringValue": "..."}, got ${describeValue(v)}`
      );
    }
    out[i] = { key, type: val.type, value: val.value } as Attribute;
  }
  return out;
}

/**
 * Model value to OTLP/JSON AnyValue (64-bit ints as decimal strings, as protobuf JSON writes them;
 * never an exponent, so that `int64From` reads them back).
 */
export function toOtlpValue(v: AnyValue, depth = 0): Obj {
  if (depth >= MAX_VALUE_DEPTH && (v.type === 'array' || v.type === 'kvlist')) {
    return { stringValue: DEEP_VALUE_MARKER };
  }
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'int':
      if (typeof v.value === 'number' && !Number.isSafeInteger(v.value)) {
        // not an int64 the readers accept (a model built by hand): the number as a double
        return { doubleValue: Number.isFinite(v.value) ? v.value : String(v.value) };
      }
      return { intValue: typeof v.value === 'bigint' ? v.value.toString() : String(v.value) };
    case 'double':
      return { doubleValue: Number.isFinite(v.value) ? v.value : String(v.value) };
    case 'bool':
      return { boolValue: v.value };
    case 'bytes':
      return { bytesValue: v.value };
    case 'array':
      return { arrayValue: { values: v.value.map((e) => toOtlpValue(e, depth + 1)) } };
    case 'kvlist':
      return { kvlistValue: { values: toOtlpAttributes(v.value, depth + 1) } };
    default:
      return {};
  }
}

export function toOtlpAttributes(attrs: Attribute[], depth = 0): Obj[] {
  const out: Obj[] = new Array(attrs.length);
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    out[i] = { key: a.key, value: a.type === 'string' ? { stringValue: a.value } : toOtlpValue(a, depth) };
  }
  return out;
}

/**
 * A plain JSON value (Grafana frame tags) to the model; safe integers are ints, other numbers
 * (a fraction, or beyond 2^53 where a JSON number is no exact integer) doubles.
 */
export function fromPlainValue(v: unknown, typeHint?: unknown, depth = 0): AnyValue {
  switch (typeof v) {
    case 'string':
      if (typeHint === 'binary') {
        return { type: 'bytes', value: v };
      }
      return { type: 'string', value: v };
    case 'boolean':
      return { type: 'bool', value: v };
    case 'number':
      if (typeHint === 'float64' || typeHint === 'double' || !Number.isSafeInteger(v)) {
        return { type: 'double', value: v };
      }
      return { type: 'int', value: v };
    case 'bigint':
      return { type: 'int', value: v };
    default:
      break;
  }
  if (Array.isArray(v) || isObj(v)) {
    if (depth >= MAX_VALUE_DEPTH) {
      return DEEP;
    }
    if (Array.isArray(v)) {
      return { type: 'array', value: v.map((e) => fromPlainValue(e, undefined, depth + 1)) };
    }
    return { type: 'kvlist', value: Object.keys(v).map((k) => withKey(k, fromPlainValue(v[k], undefined, depth + 1))) };
  }
  return EMPTY;
}

/**
 * Model value to a plain JSON value (frames, Jaeger): arrays and maps stay structured, down to
 * MAX_VALUE_DEPTH levels (then the marker text), so that JSON.stringify of it cannot overflow.
 */
export function toPlainValue(v: AnyValue, depth = 0): unknown {
  switch (v.type) {
    case 'int':
      return typeof v.value === 'bigint' ? Number(v.value) : v.value;
    case 'array':
      return depth >= MAX_VALUE_DEPTH ? DEEP_VALUE_MARKER : v.value.map((e) => toPlainValue(e, depth + 1));
    case 'kvlist': {
      if (depth >= MAX_VALUE_DEPTH) {
        return DEEP_VALUE_MARKER;
      }
      const o: Obj = {};
      for (const a of v.value) {
        setOwn(o, a.key, toPlainValue(a, depth + 1));
      }
      return o;
    }
    default:
      return v.value;
  }
}

/** Text of a value, for search and display: arrays and maps as JSON. */
export function valueToString(v: AnyValue): string {
  switch (v.type) {
    case 'string':
    case 'bytes':
      return v.value;
    case 'empty':
      return '';
    case 'array':
    case 'kvlist':
      return JSON.stringify(toPlainValue(v));
    default:
      return String(v.value);
  }
}

/** Text that is equal for equal attribute lists (a cache key); safe for any model value. */
export function attributesKey(attrs: Attribute[]): string {
  let key = '';
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    key += JSON.stringify(a.key) + a.type + JSON.stringify(valueToString(a));
  }
  return key;
}

export function findAttribute(attrs: Attribute[], key: string): Attribute | undefined {
  for (let i = 0; i < attrs.length; i++) {
    if (attrs[i].key === key) {
      return attrs[i];
    }
  }
  return undefined;
}

export function stringAttr(key: string, value: string): Attribute {
  return { key, type: 'string', value };
}
