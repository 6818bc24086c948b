const HEX = /^[0-9a-f]+$/;

/**
 * Turns a trace ID as a user types or pastes it into Tempo's canonical form: lower-case hex, padded
 * with leading zeros to 32 characters (64-bit IDs from Jaeger and Zipkin are the low half).
 * Returns an error message instead when it cannot be a trace ID.
 */
export function normalizeTraceId(input: string): { traceId: string } | { error: string } {
  let id = input.trim().toLowerCase();
  if (id.startsWith('0x')) {
    id = id.slice(2);
  }
  if (id === '') {
    return { error: 'Enter a trace ID: 1 to 32 hexadecimal characters.' };
  }
  if (!HEX.test(id)) {
    const bad = [...id].findIndex((c) => !HEX.test(c));
    return {
      error: `A trace ID is hexadecimal (0-9, a-f); "${input.trim()}" has "${id[bad]}" at position ${bad + 1}.`,
    };
  }
  if (id.length > 32) {
    return { error: `A trace ID has at most 32 hexadecimal characters; this one has ${id.length}.` };
  }
  return { traceId: id.padStart(32, '0') };
}
