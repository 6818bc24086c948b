import { SpanFlag, Trace, clockSkew } from '../../trace';
import { formatDuration } from '../TraceHeader/format';

const SKEWED = SpanFlag.SkewStart | SpanFlag.SkewEnd;

/**
 * How a span lies outside its parent because of clock skew, in words ("starts 52.0 ms before its
 * parent"), or null when the model found no skew there. O(1): a flag test first.
 */
export function skewDescription(trace: Trace, span: number): string | null {
  if ((trace.spanFlags[span] & SKEWED) === 0) {
    return null;
  }
  const skew = clockSkew(trace, span);
  if (!skew) {
    return null;
  }
  const parts: string[] = [];
  if (skew.earlyNs > 0) {
    parts.push(`starts ${formatDuration(skew.earlyNs)} before`);
  }
  if (skew.lateNs > 0) {
    parts.push(`ends ${formatDuration(skew.lateNs)} after`);
  }
  if (parts.length === 0) {
    return null;
  }
  return `${parts.join(' and ')} its parent`;
}
