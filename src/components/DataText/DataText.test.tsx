import React from 'react';
import { render, screen, within } from '@testing-library/react';
import { parseTrace, summarize } from '../../trace';
import {
  PAYLOAD_TRACE_ID,
  PDI_ESCAPE,
  RLO_EVENT,
  RLO_KEY,
  RLO_SERVICE,
  RLO_VALUE,
  payloadTrace,
} from '../../../tests/traces';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { testIds } from '../testIds';
import { TraceHeader } from '../TraceHeader/TraceHeader';
import { Waterfall } from '../Waterfall/Waterfall';
import { BIDI_CONTROLS, DataText, balanceBidi, isolate } from './DataText';

withJsdomLayout();
jest.setTimeout(30_000);

const FSI = '\u2068';
const PDI = '\u2069';
const RLO = '\u202E';
const PDF = '\u202C';

describe('balanceBidi', () => {
  it.each([
    ['plain text', 'plain text'],
    [`${RLO}abc`, `${RLO}abc`],
    [`${RLO}abc${PDF}def`, `${RLO}abc${PDF}def`],
    // closers that close nothing inside the text would close what is around it
    [`${PDI}${RLO}escape`, `${RLO}escape`],
    [`a${PDF}${PDF}b`, 'ab'],
    [`${FSI}a${RLO}b${PDI}${PDI}c`, `${FSI}a${RLO}b${PDI}c`],
    // a PDF inside an isolate cannot close an embedding opened outside it
    [`${RLO}a${FSI}b${PDF}c${PDI}`, `${RLO}a${FSI}bc${PDI}`],
  ])('%j -> %j', (input, expected) => {
    expect(balanceBidi(input)).toBe(expected);
  });

  it('isolates plain text for titles', () => {
    expect(isolate(`${PDI}${RLO}x`)).toBe(`${FSI}${RLO}x${PDI}`);
  });

  it('renders a bdi', () => {
    const { container } = render(<DataText className="c">{`${PDI}${RLO}x`}</DataText>);
    expect(container.innerHTML).toBe(`<bdi class="c">${RLO}x</bdi>`);
  });

  it('lets a dotted name wrap after its punctuation, its text unchanged', () => {
    const { container } = render(<DataText breakAtPunctuation>{`http.response.status_code${RLO}.`}</DataText>);
    expect(container.innerHTML).toBe(`<bdi>http.<wbr>response.<wbr>status_<wbr>code${RLO}.</bdi>`);
    expect(container.textContent).toBe(`http.response.status_code${RLO}.`);
    const plain = render(<DataText breakAtPunctuation>plain</DataText>);
    expect(plain.container.innerHTML).toBe('<bdi>plain</bdi>');
  });
});

/** Every bidi control in the text is inside a <bdi>, and every title keeps its controls inside FSI ... PDI. */
function expectIsolated(root: HTMLElement) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const leaks: string[] = [];
  let checked = 0;
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const text = (node as Text).data;
    if (BIDI_CONTROLS.test(text)) {
      checked++;
      const bdi = node.parentElement?.closest('bdi');
      if (!bdi || !root.contains(bdi)) {
        leaks.push(`text ${JSON.stringify(text)} in <${node.parentElement?.tagName.toLowerCase()}>`);
      } else if (balanceBidi(text) !== text) {
        leaks.push(`unbalanced text ${JSON.stringify(text)}`);
      }
    }
  }
  for (const el of Array.from(root.querySelectorAll('[title]'))) {
    const title = el.getAttribute('title')!;
    let depth = 0;
    for (const ch of title) {
      if (ch === FSI) {
        depth++;
      } else if (ch === PDI) {
        depth--;
      } else if (BIDI_CONTROLS.test(ch) && depth === 0) {
        leaks.push(`title ${JSON.stringify(title)}`);
        break;
      }
    }
    if (BIDI_CONTROLS.test(title)) {
      checked++;
    }
  }
  expect(leaks).toEqual([]);
  return checked;
}

describe('trace data with bidirectional controls', () => {
  const trace = parseTrace(payloadTrace());

  it('is isolated everywhere the waterfall and its details show it', () => {
    render(<Waterfall height={700} trace={trace} selectedSpanId="00000000000000a1" />);
    const container = screen.getByTestId(testIds.waterfall.container);
    const details = screen.getByTestId(testIds.waterfall.details);
    // the service in the facts, the resource heading, the event, the attribute key and values
    expect(details).toHaveTextContent(RLO_SERVICE);
    expect(details).toHaveTextContent(RLO_EVENT);
    expect(within(details).getByTestId(testIds.waterfall.attribute('span', RLO_KEY))).toHaveTextContent(RLO_VALUE);
    const heading = within(details)
      .getAllByRole('heading')
      .find((h) => h.textContent?.startsWith('Resource'))!;
    expect(heading.querySelector('bdi')).toHaveTextContent(RLO_SERVICE);
    // the stray PDI is not shown: it could close the isolate around it
    expect(within(details).getByTestId(testIds.waterfall.attribute('span', 'escape.text'))).toHaveTextContent(
      PDI_ESCAPE.slice(1)
    );
    expect(expectIsolated(container)).toBeGreaterThanOrEqual(8);
  });

  it('is isolated in the trace header and the service legend', () => {
    render(<TraceHeader summary={summarize(trace)} exploreHref="/explore" trace={trace} />);
    const header = screen.getByTestId(testIds.tracePage.header);
    expect(within(header).getByRole('heading')).toHaveTextContent(RLO_SERVICE);
    expect(expectIsolated(header)).toBeGreaterThanOrEqual(3);
    expect(screen.getByTestId(testIds.tracePage.traceId)).toHaveTextContent(PAYLOAD_TRACE_ID);
  });
});
