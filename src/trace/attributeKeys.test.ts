import { attributeKeys, parseTrace, spanAttribute, spanIndexById } from './index';
import { fixtureJson, sketchId, sketchToOtlp } from '../testing/traces';

describe('attributeKeys', () => {
  it('lists the keys of a recorded trace, span and resource together, the most common first', () => {
    const trace = parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));
    expect(attributeKeys(trace)).toEqual([
      // resource attributes: every one of the 11 spans has them
      { key: 'deployment.environment', spans: 11 },
      { key: 'service.name', spans: 11 },
      { key: 'service.namespace', spans: 11 },
      { key: 'http.request.method', spans: 8 },
      { key: 'http.response.status_code', spans: 8 },
      { key: 'request_id', spans: 5 },
      { key: 'http.request.header.x-request-id', spans: 4 },
      { key: 'server.port', spans: 4 },
      { key: 'url.path', spans: 4 },
      { key: 'db.query.text', spans: 1 },
      { key: 'db.system', spans: 1 },
      { key: 'job.kind', spans: 1 },
    ]);
  });

  it('counts a span once for a key both it and its resource have, and once for a key it repeats', () => {
    const otlp = sketchToOtlp([
      { id: 'root', start: 0, end: 10, attrs: { 'service.name': 'override', a: '1' } },
      { id: 'child', parent: 'root', start: 1, end: 2, attrs: { a: '2' } },
    ]);
    // a span that repeats a key (OTLP forbids it; exporters still do it)
    const spans = (otlp as any).resourceSpans[0].scopeSpans[0].spans;
    spans[1].attributes.push({ key: 'a', value: { stringValue: '3' } });
    const trace = parseTrace(otlp);
    expect(trace.spans[spanIndexById(trace, sketchId('child'))].attributes.map((a) => a.key)).toEqual(['a', 'a']);
    expect(attributeKeys(trace)).toEqual([
      { key: 'a', spans: 2 },
      { key: 'service.name', spans: 2 },
    ]);
  });

  it('is empty for spans without attributes', () => {
    const otlp = sketchToOtlp([{ id: 'root', start: 0, end: 1 }]);
    (otlp as any).resourceSpans[0].resource.attributes = [];
    expect(attributeKeys(parseTrace(otlp))).toEqual([]);
  });
});

describe('spanAttribute', () => {
  it("reads the span's own attribute first, then its resource's", () => {
    const trace = parseTrace(
      sketchToOtlp([
        { id: 'root', service: 'api', start: 0, end: 10, attrs: { 'service.name': 'override' } },
        { id: 'child', service: 'api', parent: 'root', start: 1, end: 2, attrs: { a: 'x' } },
      ])
    );
    const root = spanIndexById(trace, sketchId('root'));
    const child = spanIndexById(trace, sketchId('child'));
    expect(spanAttribute(trace, root, 'service.name')).toMatchObject({ type: 'string', value: 'override' });
    expect(spanAttribute(trace, child, 'service.name')).toMatchObject({ type: 'string', value: 'api' });
    expect(spanAttribute(trace, child, 'a')).toMatchObject({ value: 'x' });
    expect(spanAttribute(trace, root, 'a')).toBeUndefined();
  });
});
