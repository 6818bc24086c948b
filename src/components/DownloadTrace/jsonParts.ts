/**
 * JSON text of a large value in parts, yielding to the browser between them, so that writing a
 * 100,000-span trace does not hold the page for the whole serialisation. The parts joined are exactly
 * `JSON.stringify(value)` (bigints as their digits, as OTLP carries 64-bit ints); a Blob takes the parts
 * as they are, so the text is never joined into one string here.
 */

/** Arrays longer than this are written element by element; shorter ones (and every element) natively. */
const BIG_ARRAY = 64;
/** Elements of a long array written by one native call. */
const CHUNK = 256;
/** Work between two yields, in milliseconds. */
const SLICE_MS = 30;

const replacer = (_key: string, v: unknown) => (typeof v === 'bigint' ? v.toString() : v);

/** A value as JSON.stringify writes it inside an object or array (undefined where it leaves a key out). */
function native(v: unknown): string | undefined {
  return JSON.stringify(v, replacer);
}

/** Whether the value holds an array long enough to be worth writing in parts. */
function holdsBigArray(v: unknown, depth = 0): boolean {
  if (Array.isArray(v)) {
    return v.length > BIG_ARRAY || (depth < 6 && v.some((x) => holdsBigArray(x, depth + 1)));
  }
  if (typeof v === 'object' && v !== null && depth < 6 && !('toJSON' in v)) {
    return Object.values(v).some((x) => holdsBigArray(x, depth + 1));
  }
  return false;
}

export async function jsonParts(value: unknown, pause: () => Promise<void> = nextTask): Promise<string[]> {
  const parts: string[] = [];
  let sliceStart = performance.now();
  const maybePause = async () => {
    if (performance.now() - sliceStart > SLICE_MS) {
      await pause();
      sliceStart = performance.now();
    }
  };
  const write = async (v: unknown): Promise<void> => {
    if (!holdsBigArray(v)) {
      parts.push(native(v) ?? 'null');
      return;
    }
    if (Array.isArray(v)) {
      parts.push('[');
      if (v.length > BIG_ARRAY) {
        // The elements of a long array (spans) are written natively, a chunk at a time: the fast path.
        for (let i = 0; i < v.length; i += CHUNK) {
          const text = native(v.slice(i, i + CHUNK)) as string;
          parts.push(i > 0 ? `,${text.slice(1, -1)}` : text.slice(1, -1));
          await maybePause();
        }
      } else {
        for (let i = 0; i < v.length; i++) {
          const x = v[i];
          if (i > 0) {
            parts.push(',');
          }
          // In arrays, JSON.stringify writes null for what it cannot write (undefined, functions).
          await write(x === undefined || typeof x === 'function' || typeof x === 'symbol' ? null : x);
        }
      }
      parts.push(']');
      return;
    }
    parts.push('{');
    let first = true;
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) {
      if (x === undefined || typeof x === 'function' || typeof x === 'symbol') {
        continue;
      }
      parts.push(`${first ? '' : ','}${JSON.stringify(k)}:`);
      first = false;
      await write(x);
    }
    parts.push('}');
  };
  await write(value);
  return parts;
}

/** Lets the browser paint and handle input before the next slice. */
function nextTask(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
