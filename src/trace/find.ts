import { Attribute, SPAN_KIND_NAMES, STATUS_NAMES, StatusCode, Trace } from './types';
import { valueToString } from './values';

/**
 * Find in trace. The query is whitespace-separated terms, all of which must match (quotes keep
 * spaces in a term). A plain term matches, case-insensitively, a substring of the span name,
 * service name, span ID, or any attribute key or value (span, resource, event); the word `error`
 * on its own also matches every span whose status is error. A `key=value` term matches an attribute
 * with exactly that key whose value contains `value`; four keys also match a span's own fields (any
 * case): `name=` and `service=` a substring of them, `status=` the status (unset, ok, error) and
 * `kind=` the kind (internal, server, client, producer, consumer, unspecified) exactly. An attribute
 * of the same name still matches too: `status=error` finds failed spans and spans with an
 * attribute `status` containing "error".
 */
export interface FindTerm {
  key?: string;
  text: string;
}

export function parseQuery(query: string): FindTerm[] {
  const terms: FindTerm[] = [];
  const re = /(?:([^\s="]+)=)?(?:"([^"]*)"|(\S+))/g;
  let m: RegExpExecArray | null;
  while ((m = re.exec(query)) !== null) {
    const text = (m[2] ?? m[3] ?? '').toLowerCase();
    if (m[1] !== undefined) {
      terms.push({ key: m[1], text });
    } else if (text !== '') {
      terms.push({ text });
    }
  }
  return terms;
}

function attrsContain(attrs: Attribute[], text: string): boolean {
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    if (a.key.toLowerCase().includes(text) || valueToString(a).toLowerCase().includes(text)) {
      return true;
    }
  }
  return false;
}

function attrsHave(attrs: Attribute[], key: string, text: string): boolean {
  for (let i = 0; i < attrs.length; i++) {
    const a = attrs[i];
    if (a.key === key && valueToString(a).toLowerCase().includes(text)) {
      return true;
    }
  }
  return false;
}

/** A `key=value` term on one of the span's own fields; `key` and `text` are lower case. */
function fieldMatches(trace: Trace, i: number, key: string, text: string): boolean {
  switch (key) {
    case 'name':
      return trace.spans[i].name.toLowerCase().includes(text);
    case 'service':
      return trace.spans[i].resource.serviceName.toLowerCase().includes(text);
    case 'status':
      return STATUS_NAMES[trace.statusCode[i]] === text;
    case 'kind':
      return SPAN_KIND_NAMES[trace.kind[i]] === text;
    default:
      return false;
  }
}

/**
 * Span indices that match every term, in display (pre-)order. `from` and `to` limit the search to the display
 * positions [from, to) of `trace.order` (clamped to it), so a caller can search a large trace in steps.
 */
export function findSpans(trace: Trace, query: string, from = 0, to = trace.order.length): Int32Array {
  const terms = parseQuery(query);
  const end = Math.min(Math.max(0, to), trace.order.length);
  const start = Math.min(Math.max(0, from), end);
  if (terms.length === 0 || start === end) {
    return new Int32Array(0);
  }
  const hits: number[] = [];
  for (let k = start; k < end; k++) {
    const i = trace.order[k];
    const span = trace.spans[i];
    let all = true;
    for (const t of terms) {
      let ok: boolean;
      if (t.key !== undefined) {
        ok =
          attrsHave(span.attributes, t.key, t.text) ||
          attrsHave(span.resource.attributes, t.key, t.text) ||
          span.events.some((e) => attrsHave(e.attributes, t.key!, t.text)) ||
          fieldMatches(trace, i, t.key.toLowerCase(), t.text);
      } else {
        ok =
          span.name.toLowerCase().includes(t.text) ||
          span.resource.serviceName.toLowerCase().includes(t.text) ||
          span.spanId.includes(t.text) ||
          (t.text === 'error' && trace.statusCode[i] === StatusCode.Error) ||
          attrsContain(span.attributes, t.text) ||
          attrsContain(span.resource.attributes, t.text) ||
          span.events.some((e) => e.name.toLowerCase().includes(t.text) || attrsContain(e.attributes, t.text));
      }
      if (!ok) {
        all = false;
        break;
      }
    }
    if (all) {
      hits.push(i);
    }
  }
  return Int32Array.from(hits);
}
