import React, { useMemo } from 'react';
import { RawTimeRange } from '@grafana/data';
import { TimeRangePicker } from '@grafana/ui';
import { shiftRange, toTimeRange, urlRange } from './timeRange';

interface Props {
  /** the range as the page's URL holds it */
  raw: RawTimeRange;
  /** the next range, as Grafana writes it in URLs (`now-1h` or epoch milliseconds) */
  onChange: (range: { from: string; to: string }) => void;
}

/** Grafana's time picker over a range kept in the page's URL: moving and zooming give URL ranges too. */
export function UrlTimeRangePicker({ raw, onChange }: Props) {
  const value = useMemo(() => toTimeRange(raw), [raw]);
  return (
    <TimeRangePicker
      value={value}
      timeZone="browser"
      onChange={(r) => onChange(urlRange(r.raw))}
      onChangeTimeZone={() => {}}
      onMoveBackward={() => onChange(shiftRange(raw, 'back'))}
      onMoveForward={() => onChange(shiftRange(raw, 'forward'))}
      onZoom={() => onChange(shiftRange(raw, 'out'))}
    />
  );
}
