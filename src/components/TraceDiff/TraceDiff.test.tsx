import React from 'react';
import { MemoryRouter, useLocation } from 'react-router-dom';
import { act, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createTheme } from '@grafana/data';
import { parseTrace } from '../../trace';
import { generate } from '../../../bench/generate';
import { fixtureText } from '../../testing/traces';
import { withJsdomLayout } from '../../testing/jsdomLayout';
import { testIds } from '../testIds';
import { TraceDiff } from './TraceDiff';

const ids = testIds.compare;
const scanText = fixtureText('tempo-2.7.2/trace-v2.json');
// Two recorded requests of the same click: a scan (A) and a failed "boom" request (B).
const scan = parseTrace(scanText);
const boom = parseTrace(fixtureText('tempo-2.7.2/trace-v2-error.json'));
// The scan again after a deploy that renamed the job's span.
const renamed = parseTrace(scanText.replace('"name": "job scan"', '"name": "job scan v2"'));
// The same request again, recorded under another trace ID: the same paths, times and counts.
const again = parseTrace(scanText.replace(/X\+swzPs82wk28RMk2IaYKg==/g, 'X+swzPs82wk28RMk2IaYKw=='));

withJsdomLayout({ width: 1200, height: 600 });

const rowIds = () =>
  within(screen.getByTestId(ids.list))
    .getAllByRole('row')
    .slice(1)
    .map((r) => Number(r.getAttribute('data-testid')!.replace(ids.row(0).slice(0, -1), '')));

function renderDiff(a = scan, b = boom, links = false) {
  return render(
    <MemoryRouter future={{ v7_startTransition: true, v7_relativeSplatPath: true }}>
      <TraceDiff
        a={a}
        b={b}
        height={600}
        spanHrefA={links ? (span) => `/trace/a?span=${span}` : undefined}
        spanHrefB={links ? (span) => `/trace/b?span=${span}` : undefined}
      />
      <Location />
    </MemoryRouter>
  );
}

function Location() {
  const location = useLocation();
  return <div data-testid="location">{location.pathname + location.search}</div>;
}

describe('TraceDiff', () => {
  it('sums both traces up: durations, spans and paths added, removed and changed', () => {
    renderDiff();
    const summary = screen.getByTestId(ids.summary);
    expect(summary).toHaveTextContent('A 54.8 ms, 11 spans');
    expect(summary).toHaveTextContent('B 28.1 ms, 8 spans ▼ −26.8 ms');
    expect(summary).toHaveTextContent('18 paths: 7 added, 10 removed, 1 changed, 0 the same');
    expect(screen.queryByTestId(ids.noDifferences)).not.toBeInTheDocument();
  });

  it('lists the paths by the largest difference first, and as the tree on demand', async () => {
    renderDiff();
    // The scan's request path (54.6 ms, in A only) first; the root, in both, after the larger one-sided paths.
    expect(rowIds().slice(0, 4)).toEqual([1, 2, 3, 4]);
    const first = screen.getByTestId(ids.row(1));
    expect(first).toHaveAttribute('data-kind', 'removed');
    expect(first).toHaveTextContent('harbor-ui:click push › harbor-ui GET /api/v2.0/projects/scanonly in A');
    expect(rowIds().indexOf(0)).toBe(10);

    await userEvent.click(within(screen.getByTestId(ids.order)).getByText('Tree'));
    expect(rowIds()).toEqual(Array.from({ length: 18 }, (_, i) => i));
    expect(screen.getByTestId(ids.row(0))).toHaveAttribute('aria-level', '1');
    expect(screen.getByTestId(ids.row(17))).toHaveAttribute('aria-level', '7');
    expect(screen.getByTestId(ids.list)).toHaveAttribute('role', 'treegrid');
  });

  it('colours a difference by its direction and says it with a sign, an arrow and words', () => {
    renderDiff();
    const theme = createTheme();
    const root = within(screen.getByTestId(ids.row(0))).getByTestId(ids.change);
    expect(root).toHaveAttribute('data-change', 'faster');
    expect(root).toHaveTextContent('▼ −26.8 ms');
    expect(root).toHaveAttribute('aria-label', 'faster in B by 26.8 ms');
    expect(getComputedStyle(root).color).toBe(rgb(theme.colors.success.text));
    // The registry's manifest call is slower in B (a changed operation in the groups).
    const changed = screen.getByTestId(ids.group('changed'));
    const registry = within(changed).getByText('registry').closest('tr')!;
    const slower = within(registry).getByTestId(ids.change);
    expect(slower).toHaveAttribute('data-change', 'slower');
    expect(slower).toHaveTextContent('▲ +8.08 ms');
    expect(slower).toHaveAttribute('aria-label', 'slower in B by 8.08 ms');
    expect(getComputedStyle(slower).color).toBe(rgb(theme.colors.error.text));
    // A path only in A is all slower-by-nothing in B: it is "faster" by its whole duration, and says only in A.
    expect(within(screen.getByTestId(ids.row(1))).getByTestId(ids.change)).toHaveAttribute('data-change', 'faster');
  });

  it('hides the paths that are the same with "Only differences"', async () => {
    renderDiff(scan, renamed);
    expect(rowIds()).toHaveLength(12);
    await userEvent.click(within(screen.getByTestId(ids.onlyDifferences)).getByRole('checkbox'));
    expect(rowIds()).toHaveLength(2);
    expect(rowIds().map((id) => screen.getByTestId(ids.row(id)).getAttribute('data-kind'))).toEqual([
      'removed',
      'added',
    ]);
    expect(screen.getByTestId(ids.row(11))).toHaveTextContent('job scan v2only in B');
  });

  it('collapses a subtree of the tree, and keeps the ancestors of the differences there', async () => {
    renderDiff(scan, renamed);
    await userEvent.click(within(screen.getByTestId(ids.order)).getByText('Tree'));
    expect(rowIds()).toHaveLength(12);
    // core's scan handler: its query, the manifest call (and the registry's), the jobs call and its two jobs.
    const toggle = screen.getByTestId(ids.toggle(4));
    expect(toggle).toHaveAccessibleName('Collapse core: GET /api/v2.0/projects/scan (7 below)');
    expect(screen.getByTestId(ids.row(4))).toHaveAttribute('aria-expanded', 'true');
    await userEvent.click(toggle);
    expect(rowIds()).toEqual([0, 1, 2, 3, 4]);
    expect(screen.getByTestId(ids.row(4))).toHaveAttribute('aria-expanded', 'false');
    await userEvent.click(screen.getByTestId(ids.toggle(4)));
    expect(rowIds()).toHaveLength(12);
    // Only differences, in the tree: the renamed job's two paths under their unchanged ancestors.
    await userEvent.click(within(screen.getByTestId(ids.onlyDifferences)).getByRole('checkbox'));
    expect(rowIds()).toEqual([0, 1, 2, 3, 4, 8, 9, 10, 11]);
    expect(screen.getByTestId(ids.row(0))).toHaveAttribute('data-kind', 'same');
  });

  it('says when A and B are one trace, instead of listing its paths against themselves', () => {
    renderDiff(scan, parseTrace(scanText));
    expect(screen.getByTestId(ids.sameTrace)).toHaveTextContent(
      'A and B are the same trace (5feb30ccfb3cdb0936f11324d886982a): pick another for one side.'
    );
    expect(screen.queryByTestId(ids.noDifferences)).not.toBeInTheDocument();
    expect(screen.queryByTestId(ids.list)).not.toBeInTheDocument();
    expect(screen.getByTestId(ids.summary)).toHaveTextContent('A 54.8 ms, 11 spans');
  });

  it('says when two traces do not differ, and lists no path with "Only differences"', async () => {
    renderDiff(scan, again);
    expect(screen.queryByTestId(ids.sameTrace)).not.toBeInTheDocument();
    expect(screen.getByTestId(ids.noDifferences)).toBeInTheDocument();
    expect(screen.getByTestId(ids.summary)).toHaveTextContent('11 paths: 0 added, 0 removed, 0 changed, 11 the same');
    await userEvent.click(within(screen.getByTestId(ids.onlyDifferences)).getByRole('checkbox'));
    expect(within(screen.getByTestId(ids.list)).getAllByRole('row')).toHaveLength(1);
    expect(screen.getByTestId(ids.list)).toHaveTextContent('No path differs between the two traces.');
    for (const kind of ['added', 'removed', 'changed']) {
      expect(screen.getByTestId(ids.group(kind))).toHaveTextContent(': 0');
    }
  });

  it('groups by service and operation: added, removed and changed', () => {
    renderDiff();
    const added = screen.getByTestId(ids.group('added'));
    expect(added).toHaveTextContent('Only in B (added): 3');
    // The gateway's two boom spans (its server span and its handler) add up in one group.
    const gateway = within(added).getByText('gateway').closest('tr')!;
    expect(gateway).toHaveTextContent('gatewayGET /api/v2.0/projects/boom–2–54.0 ms▲ +54.0 ms');
    expect(screen.getByTestId(ids.group('removed'))).toHaveTextContent('Only in A (removed): 6');
    expect(screen.getByTestId(ids.group('changed'))).toHaveTextContent('In both, changed: 4');
  });

  it("links a row's A and B totals to the path's span in each trace when the traces came from Tempo", () => {
    renderDiff(scan, boom, true);
    // The root path: each trace's root span.
    const root = screen.getByTestId(ids.row(0));
    expect(within(root).getByTestId(ids.openA)).toHaveAttribute('href', '/trace/a?span=19ac6dec20641bb9');
    expect(within(root).getByTestId(ids.openB)).toHaveAttribute('href', '/trace/b?span=5605a67342d76d94');
    expect(within(root).getByTestId(ids.openA)).toHaveAttribute('title', 'Open this span in trace A');
    // A path only in A opens its span in A, and has nothing to open in B.
    const scanOnly = screen.getByTestId(ids.row(1));
    expect(within(scanOnly).getByTestId(ids.openA)).toHaveAttribute('href', '/trace/a?span=219b339f995084c0');
    expect(within(scanOnly).queryByTestId(ids.openB)).not.toBeInTheDocument();
  });

  it('renders only the rows in view of two large traces', () => {
    // bench/generate.ts's fan-out, and the same after a deploy that renamed a service (as npm run bench diff-100k).
    let text = '';
    generate('fanout', 5_000, 5_000, (t) => (text = t));
    const big = parseTrace(text);
    const after = parseTrace(text.replace(/"stringValue":"scanner"/g, '"stringValue":"scanner-v2"'));
    renderDiff(big, after);
    const list = screen.getByTestId(ids.list);
    const paths = Number(list.getAttribute('aria-rowcount')) - 1;
    expect(paths).toBeGreaterThan(1_000);
    const rendered = within(list).getAllByRole('row').length - 1;
    expect(rendered).toBeGreaterThan(10);
    expect(rendered).toBeLessThan(60);
    // The groups are capped, the rest counted.
    const removed = screen.getByTestId(ids.group('removed'));
    expect(within(removed).getAllByRole('row').length).toBeLessThanOrEqual(101);
  });

  it('starts from the top after Only differences is turned on or off, in either order', async () => {
    let text = '';
    generate('fanout', 2_000, 2_000, (t) => (text = t));
    renderDiff(parseTrace(text), parseTrace(text.replace(/"stringValue":"scanner"/g, '"stringValue":"scanner-v2"')));
    const body = screen.getByTestId(ids.list).lastElementChild as HTMLElement;
    body.scrollTop = 20_000;
    await userEvent.click(screen.getByRole('checkbox', { name: /Only differences/ }));
    expect(body.scrollTop).toBe(0);
    body.scrollTop = 5_000;
    await userEvent.click(screen.getByRole('checkbox', { name: /Only differences/ }));
    expect(body.scrollTop).toBe(0);
  });

  it('works from the keyboard: arrows move and fold, Enter opens the trace the path is in', async () => {
    renderDiff(scan, boom, true);
    await userEvent.click(within(screen.getByTestId(ids.order)).getByText('Tree'));
    act(() => screen.getByTestId(ids.row(0)).focus());
    await userEvent.keyboard('{ArrowDown}');
    expect(screen.getByTestId(ids.row(1))).toHaveFocus();
    await userEvent.keyboard('{ArrowLeft}');
    expect(screen.getByTestId(ids.row(1))).toHaveAttribute('aria-expanded', 'false');
    await userEvent.keyboard('{ArrowDown}');
    // The scan's subtree is folded: next is the boom request, only in B.
    expect(screen.getByTestId(ids.row(11))).toHaveFocus();
    await userEvent.keyboard('{ArrowUp}{ArrowRight}');
    expect(screen.getByTestId(ids.row(1))).toHaveAttribute('aria-expanded', 'true');
    // Path 1 is only in A: Enter opens its span in A.
    await userEvent.keyboard('{Enter}');
    expect(screen.getByTestId('location')).toHaveTextContent('/trace/a?span=219b339f995084c0');
  });

  it('opens the path in B with Enter when both have it, and does not move from the first row onto the header', async () => {
    renderDiff(scan, boom, true);
    await userEvent.click(within(screen.getByTestId(ids.order)).getByText('Tree'));
    act(() => screen.getByTestId(ids.row(0)).focus());
    await userEvent.keyboard('{ArrowUp}');
    expect(screen.getByTestId(ids.row(0))).toHaveFocus();
    await userEvent.keyboard('{Enter}');
    expect(screen.getByTestId('location')).toHaveTextContent('/trace/b?span=5605a67342d76d94');
  });

  it("is one Tab stop: the row last focused, or the first row; its links too, the other rows' not", async () => {
    renderDiff(scan, boom, true);
    const list = screen.getByTestId(ids.list);
    const tabStops = () =>
      Array.from(
        list.querySelectorAll<HTMLElement>('[tabindex="0"], a:not([tabindex="-1"]), button:not([tabindex="-1"])')
      );
    const first = within(list).getAllByRole('row')[1];
    expect(tabStops().filter((e) => e.getAttribute('role') === 'row')).toEqual([first]);
    // Only the tab stop's own links are reached by Tab.
    expect(tabStops().every((e) => e === first || first.contains(e))).toBe(true);
    // From the last control above the list, Tab goes to the list's first row.
    screen.getByRole('checkbox', { name: /Only differences/ }).focus();
    await userEvent.tab();
    expect(first).toHaveFocus();
    await userEvent.keyboard('{ArrowDown}{ArrowDown}');
    const third = within(list).getAllByRole('row')[3];
    expect(third).toHaveFocus();
    expect(tabStops().filter((e) => e.getAttribute('role') === 'row')).toEqual([third]);
    // Tab leaves the list past the row's links (to the groups' tables), and Shift+Tab comes back to that row.
    const links = third.querySelectorAll('a').length;
    for (let k = 0; k <= links; k++) {
      await userEvent.tab();
    }
    expect(list.contains(document.activeElement)).toBe(false);
    for (let k = 0; k <= links; k++) {
      await userEvent.tab({ shift: true });
    }
    expect(third).toHaveFocus();
  });

  it('isolates names with bidirectional controls in rows, tables and tooltips', async () => {
    // A service and an operation named to reverse the text around them (U+202E, right-to-left override).
    const RLO = '\u202E';
    const hostile = parseTrace(
      scanText.replace(/"harbor-ui"/g, `"${RLO}harbor-ui"`).replace('"name": "job scan"', `"name": "${RLO}job scan"`)
    );
    const { container } = renderDiff(scan, hostile);
    await userEvent.click(within(screen.getByTestId(ids.order)).getByText('Tree'));
    const walker = document.createTreeWalker(container, NodeFilter.SHOW_TEXT);
    let seen = 0;
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      if ((node as Text).data.includes(RLO)) {
        seen++;
        expect(node.parentElement!.closest('bdi')).not.toBeNull();
      }
    }
    const titles = Array.from(container.querySelectorAll('[title]'))
      .map((el) => el.getAttribute('title')!)
      .filter((t) => t.includes(RLO));
    expect(seen).toBeGreaterThan(5);
    expect(titles.length).toBeGreaterThan(5);
    for (const title of titles) {
      expect(title.startsWith('\u2068') && title.endsWith('\u2069')).toBe(true);
    }
  });

  it('has no links for traces from files', () => {
    renderDiff();
    expect(screen.queryByTestId(ids.openA)).not.toBeInTheDocument();
  });
});

/** A theme colour as getComputedStyle reports it. */
function rgb(color: string): string {
  const probe = document.createElement('div');
  probe.style.color = color;
  return probe.style.color;
}
