import { TraceInputError } from './errors';

/**
 * Bytes of a trace file to text: UTF-8 (with or without a byte order mark), or UTF-16 (what
 * Windows tools such as PowerShell's `>` write; with a byte order mark, or without one, known by
 * the zero bytes of the first ASCII characters). Binary input, e.g. a
 * compressed or protobuf export, is refused with a short description, never echoed.
 */
export function decodeTraceBytes(bytes: Uint8Array): string {
  const n = bytes.length;
  if (n >= 2 && bytes[0] === 0xff && bytes[1] === 0xfe) {
    return utf16(bytes.subarray(2), true);
  }
  if (n >= 2 && bytes[0] === 0xfe && bytes[1] === 0xff) {
    return utf16(bytes.subarray(2), false);
  }
  // JSON text begins with an ASCII character, so UTF-16 without a byte order mark shows as a
  // zero byte before or after it (RFC 4627, section 3).
  if (n >= 4 && bytes[0] !== 0 && bytes[1] === 0 && bytes[2] !== 0 && bytes[3] === 0) {
    return utf16(bytes, true);
  }
  if (n >= 4 && bytes[0] === 0 && bytes[1] !== 0 && bytes[2] === 0 && bytes[3] !== 0) {
    return utf16(bytes, false);
  }
  const start = n >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const what = binaryKind(bytes.subarray(start));
  if (what !== null) {
    throw new TraceInputError('not-json', '', `the input looks binary (${what.kind}), not JSON text`, what.hint);
  }
  return new TextDecoder('utf-8').decode(bytes.subarray(start));
}

function utf16(body: Uint8Array, littleEndian: boolean): string {
  const units = body.length >> 1;
  let out = '';
  // Chunks keep String.fromCharCode's argument list short.
  const chunk = new Uint16Array(Math.min(units, 8192));
  for (let u = 0; u < units; u += chunk.length) {
    const m = Math.min(chunk.length, units - u);
    for (let k = 0; k < m; k++) {
      const i = (u + k) * 2;
      chunk[k] = littleEndian ? body[i] | (body[i + 1] << 8) : (body[i] << 8) | body[i + 1];
    }
    out += String.fromCharCode.apply(null, Array.from(chunk.subarray(0, m)));
  }
  return out;
}

/** What binary input seems to be, from its first bytes; null for text. */
function binaryKind(b: Uint8Array): { kind: string; hint: string } | null {
  const at = (i: number, ...sig: number[]) => sig.every((v, k) => b[i + k] === v);
  if (at(0, 0x1f, 0x8b)) {
    return { kind: 'gzip?', hint: 'decompress it first, e.g. with gunzip' };
  }
  if (at(0, 0x28, 0xb5, 0x2f, 0xfd)) {
    return {
      kind: 'zstd?',
      hint: "the Collector's file exporter with compression: zstd writes this; decompress it first with zstd -d",
    };
  }
  if (at(0, 0x50, 0x4b, 0x03, 0x04)) {
    return { kind: 'zip?', hint: 'unzip it first' };
  }
  if (at(0, 0x42, 0x5a, 0x68)) {
    return { kind: 'bzip2?', hint: 'decompress it first, e.g. with bunzip2' };
  }
  if (at(0, 0xfd, 0x37, 0x7a, 0x58, 0x5a, 0x00)) {
    return { kind: 'xz?', hint: 'decompress it first, e.g. with unxz' };
  }
  // Text has no NUL bytes and few other control characters; JSON none outside whitespace.
  const len = Math.min(b.length, 4096);
  let control = 0;
  for (let i = 0; i < len; i++) {
    const c = b[i];
    if (c === 0) {
      return { kind: 'protobuf?', hint: 'Traceway reads JSON; export with format: json (OTLP/JSON)' };
    }
    if (c < 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d && c !== 0x0c) {
      control++;
    }
  }
  const first = b[0];
  const firstIsControl = len > 0 && first < 0x20 && first !== 0x09 && first !== 0x0a && first !== 0x0d;
  if (firstIsControl || control >= 8 || control * 50 > len) {
    return { kind: 'protobuf?', hint: 'Traceway reads JSON; export with format: json (OTLP/JSON)' };
  }
  return null;
}
