import React from 'react';
import { Trace } from '../../trace';

// PLACEHOLDER (contract only): replaced by the download's owner this session.
export function DownloadTrace({ trace }: { trace: Trace }) {
  return <span hidden>{trace.traceId}</span>;
}
