import React from 'react';
import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { Attribute, Trace, epochNanosString, parseTrace, valueToString } from '../../trace';
import { canonical, fixtureJson } from '../../testing/traces';
import { testIds } from '../testIds';
import { DOWNLOAD_FORMATS, DownloadTrace, traceFileName } from './DownloadTrace';

const ids = testIds.downloadTrace;

/** Captures what the component saves: the Blob behind the object URL, the file name, the revocation. */
function captureDownloads() {
  const saved: Array<{ blob: Blob; fileName: string; url: string }> = [];
  let blob: Blob | undefined;
  let n = 0;
  URL.createObjectURL = jest.fn((b: Blob) => {
    blob = b;
    return `blob:trace-${++n}`;
  });
  URL.revokeObjectURL = jest.fn();
  const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
    saved.push({ blob: blob!, fileName: this.download, url: this.href });
  });
  return { saved, restore: () => click.mockRestore() };
}

function readText(blob: Blob): Promise<string> {
  const read = new FileReader();
  const text = new Promise<string>((resolve) => (read.onload = () => resolve(String(read.result))));
  read.readAsText(blob);
  return text;
}

async function download(format: string) {
  const user = userEvent.setup();
  await user.click(screen.getByTestId(ids.button));
  await user.click(await screen.findByTestId(ids.format(format)));
}

/**
 * What Jaeger's JSON carries of a trace: times in microseconds, attribute values as Jaeger types (arrays
 * and maps as JSON text), no instrumentation scope. Everything else must come back as it was.
 */
function jaegerView(t: Trace) {
  const attrs = (list: Attribute[]) => list.map((a) => [a.key, valueToString(a)]).sort();
  const us = (ns: number) => String(BigInt(epochNanosString(t.epochMs, ns)) / BigInt(1000));
  return {
    traceId: t.traceId,
    order: Array.from(t.order, (i) => t.spans[i].spanId),
    roots: Array.from(t.roots, (i) => t.spans[i].spanId),
    spans: t.spans
      .map((s) => ({
        spanId: s.spanId,
        parentSpanId: s.parentSpanId,
        name: s.name,
        service: s.resource.serviceName,
        kind: s.kind,
        status: [s.statusCode, s.statusMessage],
        time: [us(t.start[s.index]), us(t.end[s.index])],
        attributes: attrs(s.attributes),
        resource: attrs(s.resource.attributes),
        events: s.events.map((e) => [e.name, us(e.timeNs), attrs(e.attributes)]),
        links: s.links.map((l) => [l.traceId, l.spanId]),
      }))
      .sort((a, b) => (a.spanId < b.spanId ? -1 : 1)),
  };
}

describe('DownloadTrace', () => {
  jest.setTimeout(30_000);
  const trace: Trace = parseTrace(fixtureJson('tempo-2.7.2/trace-v2.json'));

  it.each(DOWNLOAD_FORMATS.map((f) => [f.label, f.id, f.id === 'tempo' ? 'tempo-v2' : f.id] as const))(
    '%s: the file reads back with the model to the same spans',
    async (_label, id, format) => {
      const { saved, restore } = captureDownloads();
      try {
        render(<DownloadTrace trace={trace} />);
        await download(id);
        await waitFor(() => expect(saved).toHaveLength(1));
        expect(saved[0].fileName).toBe(`trace-${trace.traceId}-${id}.json`);
        expect(saved[0].blob.type).toBe('application/json');
        const back = parseTrace(await readText(saved[0].blob));
        expect(back.format).toBe(format);
        if (id === 'jaeger') {
          expect(jaegerView(back)).toEqual(jaegerView(trace));
        } else {
          expect(canonical(back)).toEqual(canonical(trace));
        }
        // Revoked once the download has had time (files.test.ts), not as the click returns.
        expect(URL.revokeObjectURL).not.toHaveBeenCalled();
        expect(screen.getByTestId(ids.button)).toHaveTextContent('Download');
        expect(screen.getByTestId(ids.button)).toBeEnabled();
        // The keyboard focus is back on the button (it was disabled while the file was written).
        expect(screen.getByTestId(ids.button)).toHaveFocus();
      } finally {
        restore();
      }
    }
  );

  it('says what went wrong when the file cannot be made', async () => {
    const { restore } = captureDownloads();
    URL.createObjectURL = jest.fn(() => {
      throw new Error('out of memory');
    });
    try {
      render(<DownloadTrace trace={trace} />);
      await download('jaeger');
      expect(await screen.findByTestId(ids.error)).toHaveTextContent(
        'Could not write the trace as Jaeger JSON: out of memory'
      );
      expect(screen.getByTestId(ids.button)).toBeEnabled();
    } finally {
      restore();
    }
  });

  it('names the file after the trace and the format, with only safe characters', () => {
    expect(traceFileName('4bf92f3577b34da6a3ce929d0e0e4736', 'otlp')).toBe(
      'trace-4bf92f3577b34da6a3ce929d0e0e4736-otlp.json'
    );
    expect(traceFileName('../a b', 'tempo')).toBe('trace-___a_b-tempo.json');
    expect(traceFileName('', 'jaeger')).toBe('trace-unknown-jaeger.json');
  });
});
