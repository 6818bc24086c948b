import { Attribute, Resource, Trace } from './types';
import { findAttribute } from './values';

/** An attribute key of a trace and how many spans have it (on the span or on its resource). */
export interface AttributeKeyCount {
  key: string;
  spans: number;
}

/**
 * The attribute keys present in a trace, span and resource attributes together, the most common
 * first (then by key). A span counts once per key even when both it and its resource have the key.
 * One pass over the spans; resources are shared objects, so each resource's keys are read once.
 */
export function attributeKeys(trace: Trace): AttributeKeyCount[] {
  const counts = new Map<string, number>();
  const resourceKeys = new Map<Resource, Set<string>>();
  const spansOfResource = new Map<Resource, number>();
  for (const span of trace.spans) {
    const res = span.resource;
    let keys = resourceKeys.get(res);
    if (keys === undefined) {
      keys = new Set(res.attributes.map((a) => a.key));
      resourceKeys.set(res, keys);
    }
    spansOfResource.set(res, (spansOfResource.get(res) ?? 0) + 1);
    const attrs = span.attributes;
    for (let k = 0; k < attrs.length; k++) {
      const key = attrs[k].key;
      // counted with the resource's spans below; a duplicate key in one span is counted once
      if (keys.has(key) || firstIndexOf(attrs, key) !== k) {
        continue;
      }
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
  }
  for (const [res, keys] of resourceKeys) {
    const spans = spansOfResource.get(res) ?? 0;
    for (const key of keys) {
      counts.set(key, (counts.get(key) ?? 0) + spans);
    }
  }
  const out: AttributeKeyCount[] = [];
  counts.forEach((spans, key) => out.push({ key, spans }));
  return out.sort((a, b) => b.spans - a.spans || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

function firstIndexOf(attrs: Attribute[], key: string): number {
  for (let i = 0; i < attrs.length; i++) {
    if (attrs[i].key === key) {
      return i;
    }
  }
  return -1;
}

/** Span `span`'s attribute `key`: its own, else its resource's (as OpenTelemetry layers them). */
export function spanAttribute(trace: Trace, span: number, key: string): Attribute | undefined {
  const s = trace.spans[span];
  return findAttribute(s.attributes, key) ?? findAttribute(s.resource.attributes, key);
}
