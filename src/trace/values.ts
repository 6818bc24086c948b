import { describeValue, SpanProblem } from './errors';
import { AnyValue, Attribute } from './types';

type Obj = Record<string, unknown>;

export function isObj(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function intFrom(v: unknown): number | bigint | undefined {
  if (typeof v === 'number') {
    return Number.isInteger(v) ? v : undefined;
  }
  if (typeof v === 'string' && /^-?\d{1,20}$/.test(v)) {
    const n = Number(v);
    return Number.isSafeInteger(n) ? n : BigInt(v);
  }
  return undefined;
}

/** OTLP/JSON AnyValue ({"stringValue": ...} etc.) to the model; null if it is not one. */
export function fromOtlpValue(v: unknown): AnyValue | null {
  if (!isObj(v)) {
    return null;
  }
  const s = v.stringValue;
  if (typeof s === 'string') {
    return { type: 'string', value: s };
  }
  if (v.intValue !== undefined) {
    const i = intFrom(v.intValue);
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
    if (!isObj(v.arrayValue)) {
      return null;
    }
    const raw = v.arrayValue.values ?? [];
    if (!Array.isArray(raw)) {
      return null;
    }
    const out: AnyValue[] = new Array(raw.length);
    for (let i = 0; i < raw.length; i++) {
      const e = fromOtlpValue(raw[i]);
      if (e === null) {
        return null;
      }
      out[i] = e;
    }
    return { type: 'array', value: out };
  }
  if (v.kvlistValue !== undefined) {
    if (!isObj(v.kvlistValue)) {
      return null;
    }
    const raw = v.kvlistValue.values ?? [];
    const out = Array.isArray(raw) ? fromOtlpAttributesOrNull(raw) : null;
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

function fromOtlpAttributesOrNull(raw: unknown[]): Attribute[] | null {
  const out: Attribute[] = new Array(raw.length);
  for (let i = 0; i < raw.length; i++) {
    const kv = raw[i];
    if (!isObj(kv) || typeof kv.key !== 'string') {
      return null;
    }
    const val = kv.value === undefined ? EMPTY : fromOtlpValue(kv.value);
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

/** Model value to OTLP/JSON AnyValue (64-bit ints as strings, as protobuf JSON writes them). */
export function toOtlpValue(v: AnyValue): Obj {
  switch (v.type) {
    case 'string':
      return { stringValue: v.value };
    case 'int':
      return { intValue: String(v.value) };
    case 'double':
      return { doubleValue: Number.isFinite(v.value) ? v.value : String(v.value) };
    case 'bool':
      return { boolValue: v.value };
    case 'bytes':
      return { bytesValue: v.value };
    case 'array':
      return { arrayValue: { values: v.value.map(toOtlpValue) } };
    case 'kvlist':
      return { kvlistValue: { values: toOtlpAttributes(v.value) } };
    default:
      return {};
  }
}

export function toOtlpAttributes(attrs: Attribute[]): Obj[] {
  const out: Obj[] = new Array(attrs.length);
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    out[i] = { key: a.key, value: a.type === 'string' ? { stringValue: a.value } : toOtlpValue(a) };
  }
  return out;
}

/** A plain JSON value (Grafana frame tags) to the model; numbers with a fraction are doubles. */
export function fromPlainValue(v: unknown, typeHint?: unknown): AnyValue {
  switch (typeof v) {
    case 'string':
      if (typeHint === 'binary') {
        return { type: 'bytes', value: v };
      }
      return { type: 'string', value: v };
    case 'boolean':
      return { type: 'bool', value: v };
    case 'number':
      if (typeHint === 'float64' || typeHint === 'double' || !Number.isInteger(v)) {
        return { type: 'double', value: v };
      }
      return { type: 'int', value: v };
    case 'bigint':
      return { type: 'int', value: v };
    default:
      break;
  }
  if (Array.isArray(v)) {
    return { type: 'array', value: v.map((e) => fromPlainValue(e)) };
  }
  if (isObj(v)) {
    return { type: 'kvlist', value: Object.keys(v).map((k) => withKey(k, fromPlainValue(v[k]))) };
  }
  return EMPTY;
}

/** Model value to a plain JSON value (frames, Jaeger): arrays and maps stay structured. */
export function toPlainValue(v: AnyValue): unknown {
  switch (v.type) {
    case 'int':
      return typeof v.value === 'bigint' ? Number(v.value) : v.value;
    case 'array':
      return v.value.map(toPlainValue);
    case 'kvlist': {
      const o: Obj = {};
      for (const a of v.value) {
        o[a.key] = toPlainValue(a);
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
