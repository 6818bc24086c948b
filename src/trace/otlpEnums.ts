/**
 * OTLP's SpanKind and StatusCode enum names by number, as protobuf JSON writes them (Tempo's answers). No imports:
 * test servers that run in Node without a DOM (src/testing/tracePathServer.ts) use them too. The readers keep
 * their own name-to-number tables (otlp.ts, zipkin.ts), so a test still checks writing against reading.
 */
export const KIND_ENUM = [
  'SPAN_KIND_UNSPECIFIED',
  'SPAN_KIND_INTERNAL',
  'SPAN_KIND_SERVER',
  'SPAN_KIND_CLIENT',
  'SPAN_KIND_PRODUCER',
  'SPAN_KIND_CONSUMER',
];
export const STATUS_ENUM = ['STATUS_CODE_UNSET', 'STATUS_CODE_OK', 'STATUS_CODE_ERROR'];
