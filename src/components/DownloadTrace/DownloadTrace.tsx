import React, { useEffect, useRef, useState } from 'react';
import { css } from '@emotion/css';
import { GrafanaTheme2 } from '@grafana/data';
import { Button, Dropdown, Menu, useStyles2 } from '@grafana/ui';
import { Trace, toJaeger, toOtlp, toTempoV2 } from '../../trace';
import { saveBlob } from '../files';
import { testIds } from '../testIds';
import { jsonParts } from './jsonParts';

export interface DownloadFormat {
  id: 'tempo' | 'otlp' | 'jaeger';
  label: string;
  description: string;
  write: (trace: Trace) => unknown;
}

/** The formats a trace downloads as, each written by the model's writer for it. */
export const DOWNLOAD_FORMATS: readonly DownloadFormat[] = [
  { id: 'tempo', label: 'Tempo JSON', description: "As Tempo's /api/v2/traces answers", write: toTempoV2 },
  { id: 'otlp', label: 'OTLP JSON', description: "OTLP/JSON, as the Collector's file exporter writes", write: toOtlp },
  { id: 'jaeger', label: 'Jaeger JSON', description: "As Jaeger's /api/traces answers", write: toJaeger },
];

/** `trace-<traceId>-<format>.json`; anything but letters, digits, - and _ in the ID becomes _. */
export function traceFileName(traceId: string, format: DownloadFormat['id']): string {
  const id = traceId.replace(/[^0-9A-Za-z_-]/g, '_') || 'unknown';
  return `trace-${id}-${format}.json`;
}

/** The trace as a JSON file of this format, written in slices (see jsonParts). */
export async function traceFile(trace: Trace, format: DownloadFormat): Promise<Blob> {
  return new Blob(await jsonParts(format.write(trace)), { type: 'application/json' });
}

/**
 * "Download" with a menu of formats. The file is written only on a click, once, in slices: a
 * 100,000-span trace keeps the page responding while its tens of megabytes are written.
 */
export function DownloadTrace({ trace }: { trace: Trace }) {
  const styles = useStyles2(getStyles);
  const [busy, setBusy] = useState<DownloadFormat | null>(null);
  const [error, setError] = useState<string>();
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);
  // The button is disabled while the file is written, which drops the keyboard focus to <body>: give it back
  // when done, unless the user has gone on elsewhere meanwhile.
  const rootRef = useRef<HTMLSpanElement>(null);
  const wasBusy = useRef(false);
  useEffect(() => {
    if (busy) {
      wasBusy.current = true;
      return;
    }
    if (wasBusy.current) {
      wasBusy.current = false;
      const active = document.activeElement;
      if (!active || active === document.body || rootRef.current?.contains(active)) {
        rootRef.current?.querySelector<HTMLButtonElement>('button')?.focus();
      }
    }
  }, [busy]);

  const download = async (format: DownloadFormat) => {
    setBusy(format);
    setError(undefined);
    try {
      // Let "Preparing" paint before the writer holds the page.
      await new Promise((resolve) => setTimeout(resolve, 0));
      const blob = await traceFile(trace, format);
      if (mounted.current) {
        saveBlob(blob, traceFileName(trace.traceId, format.id));
      }
    } catch (e) {
      // A trace too large for one string in this browser, or out of memory: say which and why.
      if (mounted.current) {
        setError(`Could not write the trace as ${format.label}: ${e instanceof Error ? e.message : String(e)}`);
      }
    } finally {
      if (mounted.current) {
        setBusy(null);
      }
    }
  };

  const menu = (
    <Menu>
      {DOWNLOAD_FORMATS.map((f) => (
        <Menu.Item
          key={f.id}
          label={f.label}
          description={f.description}
          testId={testIds.downloadTrace.format(f.id)}
          onClick={() => void download(f)}
        />
      ))}
    </Menu>
  );

  return (
    <span ref={rootRef} className={styles.root}>
      <Dropdown overlay={menu} placement="bottom-end">
        <Button
          size="sm"
          variant="secondary"
          icon={busy ? 'spinner' : 'download-alt'}
          disabled={busy !== null}
          aria-label={busy ? `Preparing ${busy.label}` : 'Download the trace'}
          tooltip={busy ? undefined : 'Download the trace as Tempo, OTLP or Jaeger JSON'}
          data-testid={testIds.downloadTrace.button}
        >
          {busy ? 'Preparing…' : 'Download'}
        </Button>
      </Dropdown>
      {error && (
        <span role="alert" className={styles.error} data-testid={testIds.downloadTrace.error}>
          {error}
        </span>
      )}
    </span>
  );
}

const getStyles = (theme: GrafanaTheme2) => ({
  root: css({ display: 'inline-flex', alignItems: 'center', gap: theme.spacing(1) }),
  error: css({ color: theme.colors.error.text, fontSize: theme.typography.bodySmall.fontSize }),
});
