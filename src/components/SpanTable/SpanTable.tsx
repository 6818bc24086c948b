import React from 'react';
import { Trace } from '../../trace';

export interface SpanTableProps {
  trace: Trace;
  /** CSS height of the whole view; rows scroll inside it */
  height: number | string;
  /** opens a span (index into trace.spans) in the timeline */
  onOpenSpan: (span: number) => void;
}

// PLACEHOLDER (contract only): replaced by the span table's owner this session.
export function SpanTable({ trace }: SpanTableProps) {
  return <div>{trace.spans.length} spans</div>;
}
