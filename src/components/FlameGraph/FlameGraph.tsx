import React from 'react';
import { Trace } from '../../trace';

export interface FlameGraphProps {
  trace: Trace;
  /** CSS height of the whole view */
  height: number | string;
  /** opens a span (index into trace.spans) in the timeline */
  onOpenSpan: (span: number) => void;
}

// PLACEHOLDER (contract only): replaced by the flame graph's owner this session.
export function FlameGraph({ trace }: FlameGraphProps) {
  return <div>{trace.spans.length} spans</div>;
}
