/** @jest-environment node */
import { canonical, fixtureText, inputError } from '../testing/traces';
import { decodeTraceBytes } from './bytes';
import { parseJsonDocuments, parseJsonText, parseTrace, parseTraces, TraceReader } from './parse';

/** Text and bytes in: JSON Lines (the Collector's file exporter), byte order marks, UTF-16, binary. */

const fail = inputError;

const recorded = () => parseTrace(fixtureText('tempo-2.7.2/trace-v2.json'));

describe('JSON Lines', () => {
  it('a trace exported over several lines (one export per service) is one trace', () => {
    const text = fixtureText('otlp-file/trace-v2.jsonl');
    expect(text.trim().split('\n')).toHaveLength(5);
    const t = parseTrace(text);
    expect(t.format).toBe('otlp');
    expect(canonical(t)).toEqual(canonical(recorded()));
    expect(parseTraces(text)).toHaveLength(1);
  });

  it('lines holding several traces: multiple-traces, and the trace ID chooses', () => {
    const text = fixtureText('otlp-file/two-traces.jsonl');
    const e = fail(() => parseTrace(text));
    expect(e.code).toBe('multiple-traces');
    expect(e.message).toMatch(
      /holds 2 traces: 5feb30ccfb3cdb0936f11324d886982a \(11 spans\), cc0f27b1800ba01de70dbd56394cd4bc \(8 spans\)/
    );
    expect(canonical(parseTrace(text, { traceId: '5feb30ccfb3cdb0936f11324d886982a' }))).toEqual(canonical(recorded()));
    expect(parseTraces(text).map((t) => t.spans.length)).toEqual([11, 8]);
  });

  it('blank lines, CRLF and a final line without a newline are fine; TraceReader reads it too', () => {
    const lines = fixtureText('otlp-file/trace-v2.jsonl').trim().split('\n');
    const text = '\r\n' + lines.join('\r\n\r\n');
    expect(canonical(parseTrace(text))).toEqual(canonical(recorded()));
    const r = new TraceReader();
    r.add(lines.slice(0, 2).join('\n'));
    r.add(lines.slice(2).join('\n'));
    expect(canonical(r.finish())).toEqual(canonical(recorded()));
  });

  it('a line that is not JSON: not-json naming the line', () => {
    const lines = fixtureText('otlp-file/trace-v2.jsonl').trim().split('\n');
    lines[2] = lines[2].slice(0, 40);
    const e = fail(() => parseTrace(lines.join('\n')));
    expect(e.code).toBe('not-json');
    expect(e.path).toBe('line 3');
    expect(e.message).toMatch(/^line 3: not JSON \(.*\); the line begins like JSON \("\{"\) but is not JSON/);
  });

  it('a line that is JSON but no trace: the error names the line', () => {
    const lines = fixtureText('otlp-file/trace-v2.jsonl').trim().split('\n');
    lines.splice(1, 0, '', '{"status":"ok"}');
    const e = fail(() => parseTrace(lines.join('\n')));
    expect([e.code, e.path]).toEqual(['unknown-format', 'line 3']);
  });

  it('a bad span on a line: a warning whose path starts with the line', () => {
    const lines = fixtureText('otlp-file/trace-v2.jsonl').trim().split('\n');
    lines[1] = lines[1].replace(/"spanId":"[0-9a-f]{16}"/, '"spanId":"xyz"');
    const t = parseTrace(lines.join('\n'));
    const w = t.warnings.find((x) => x.code === 'bad-span')!;
    expect(w.message).toBe('1 malformed span skipped');
    expect(w.examples[0]).toMatch(/^line 2: resourceSpans\[0\]\.scopeSpans\[0\]\.spans\[\d\]\.spanId: /);
  });

  it('a pretty-printed document with an error is reported as one document, not as lines', () => {
    const e = fail(() => parseTrace('{\n "trace": {\n  "resourceSpans": [,]\n }\n}'));
    expect([e.code, e.path]).toEqual(['not-json', '']);
    expect(e.message).toMatch(/the input is not JSON/);
  });

  it('parseJsonDocuments and parseJsonText', () => {
    expect(parseJsonDocuments('{"a":1}\n[2]\n')).toEqual([{ a: 1 }, [2]]);
    expect(parseJsonDocuments('\ufeff{"a":1}')).toEqual([{ a: 1 }]);
    expect(parseJsonText('\ufeff [1] ')).toEqual([1]);
    expect(fail(() => parseJsonText('{}\n{}')).code).toBe('not-json');
  });
});

describe('bytes', () => {
  const json = fixtureText('tempo-2.7.2/trace-v2.json');

  it('UTF-8 with and without a byte order mark', () => {
    const utf8 = Buffer.from(json, 'utf8');
    expect(decodeTraceBytes(utf8)).toBe(json);
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), utf8]);
    expect(decodeTraceBytes(bom)).toBe(json);
    expect(canonical(parseTrace(bom.toString('utf8')))).toEqual(canonical(recorded()));
  });

  it('UTF-16 little and big endian with a byte order mark', () => {
    const text = json + ' "ü€😀"';
    const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')]);
    expect(decodeTraceBytes(le)).toBe(text);
    const be = Buffer.from(le);
    be.swap16();
    expect(be[0]).toBe(0xfe);
    expect(decodeTraceBytes(be)).toBe(text);
    // without a byte order mark: known by the zero bytes around the first ASCII characters
    expect(decodeTraceBytes(le.subarray(2))).toBe(text);
    expect(decodeTraceBytes(be.subarray(2))).toBe(text);
  });

  it.each([
    ['gzip', [0x1f, 0x8b, 0x08, 0x00, 0x00], /looks binary \(gzip\?\).*gunzip/],
    ['zstd', [0x28, 0xb5, 0x2f, 0xfd, 0x04], /looks binary \(zstd\?\).*zstd -d/],
    ['zip', [0x50, 0x4b, 0x03, 0x04, 0x14], /looks binary \(zip\?\)/],
    ['OTLP protobuf', [0x0a, 0xd2, 0x01, 0x0a, 0x26, 0x0a], /looks binary \(protobuf\?\).*format: json/],
    ['NUL bytes', [0x7b, 0x22, 0x00, 0x00], /looks binary/],
  ])('%s is refused as binary, without echoing it', (_name, bytes, message) => {
    const e = fail(() => decodeTraceBytes(Uint8Array.from([...bytes, 0x41, 0x42])));
    expect(e.code).toBe('not-json');
    expect(e.message).toMatch(message);
    expect(e.message).not.toMatch(/AB/);
  });

  it('a text that is not JSON is described, never echoed (control characters or not)', () => {
    const e = fail(() => parseTrace('hello\u0001\u0002 world'));
    expect(e.message).toMatch(/begins with a letter; 13 characters/);
    expect(e.message).not.toMatch(/hello/);
  });
});
