import { readFileSync } from 'node:fs';
import { Page, TestInfo } from '@playwright/test';
import { expect, test, testIds, Sandbox } from './fixtures';

/**
 * The views of one trace (src/components/TraceViews): the timeline, statistics, flame graph and span table on the
 * Trace page and in the waterfall panel, the view in the URL, a span opened from another view, the download and
 * the span links to logs. Every view is also saved per host and theme as a test artifact
 * (test-results/artifacts/<test>/view-<name>.png) for people to look at.
 */
const APP = '/a/traceway-explorer-app';
const RECORDED = '5feb30ccfb3cdb0936f11324d886982a';
const ROOT_SPAN = '19ac6dec20641bb9';
const SELECT = 'e1ff702a5a2c8ac4';
const JOB_SCAN = 'e776bb12bf61a2d2';
const ids = testIds.traceViews;

const VIEWS = ['timeline', 'stats', 'flame', 'table'] as const;
type View = (typeof VIEWS)[number];
const VIEW_NAMES: Record<View, string> = {
  timeline: 'Timeline',
  stats: 'Statistics',
  flame: 'Flame graph',
  table: 'Span table',
};

const rows = (page: Page) => page.getByRole('treeitem');

/** Only `view`'s pane is visible; the others are not rendered or hidden. */
async function expectShowing(sandbox: Sandbox, view: View) {
  await expect(sandbox.byTestId(ids.view(view))).toBeVisible();
  for (const other of VIEWS.filter((v) => v !== view)) {
    await expect(sandbox.byTestId(ids.view(other))).toBeHidden();
  }
  await expect(sandbox.page.getByRole('radio', { name: VIEW_NAMES[view] })).toBeChecked();
}

/**
 * Clicks a view's switch as a user does: Grafana's radio buttons lay their (transparent) input over the label,
 * so the input takes the click, not the label's text that carries the switch's test ID.
 */
async function switchTo(sandbox: Sandbox, view: View) {
  await expect(sandbox.byTestId(ids.switch(view))).toHaveText(VIEW_NAMES[view]);
  await sandbox.byTestId(ids.container).getByRole('radio', { name: VIEW_NAMES[view], exact: true }).click();
}

/** How many distinct colours the flame graph's canvas holds, from a grid of samples over its first rows. */
async function canvasColours(page: Page): Promise<number> {
  return page.getByTestId(testIds.flameGraph.canvas).evaluate((el) => {
    const canvas = el as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    const { data } = ctx.getImageData(0, 0, canvas.width, Math.min(canvas.height, 200));
    const seen = new Set<string>();
    const w = canvas.width;
    const h = Math.min(canvas.height, 200);
    for (let y = 2; y < h; y += 5) {
      for (let x = 2; x < w; x += 7) {
        const i = (y * w + x) * 4;
        seen.add(`${data[i]},${data[i + 1]},${data[i + 2]},${data[i + 3]}`);
      }
    }
    return seen.size;
  });
}

async function shootView(page: Page, testInfo: TestInfo, name: string) {
  // No hover tooltip in the picture.
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: testInfo.outputPath(`view-${name}.png`), animations: 'disabled' });
}

test.describe('trace views on the trace page', () => {
  test('switches the four views by clicking, keeping the view in the URL, and opens them from ?view=', async ({
    sandbox,
    page,
  }, testInfo) => {
    // Five page loads.
    test.setTimeout(90_000);
    await sandbox.goto(`${APP}/trace/${RECORDED}`);
    await expect(rows(page)).toHaveCount(11);
    await expectShowing(sandbox, 'timeline');
    await expect(page).not.toHaveURL(/[?&]view=/);
    await shootView(page, testInfo, 'timeline');

    for (const view of ['stats', 'flame', 'table', 'timeline'] as const) {
      await switchTo(sandbox, view);
      await expectShowing(sandbox, view);
      if (view === 'timeline') {
        await expect(page).not.toHaveURL(/[?&]view=/);
      } else {
        await expect(page).toHaveURL(new RegExp(`[?&]view=${view}(&|$)`));
      }
    }
    // The timeline kept its rows through the switches.
    await expect(rows(page)).toHaveCount(11);

    // A deep link opens each view; a reload keeps it.
    for (const view of ['stats', 'flame', 'table'] as const) {
      await sandbox.goto(`${APP}/trace/${RECORDED}?view=${view}`);
      await expectShowing(sandbox, view);
    }
    await page.reload();
    await expectShowing(sandbox, 'table');
    // An unknown view is the timeline.
    await sandbox.goto(`${APP}/trace/${RECORDED}?view=nonsense`);
    await expectShowing(sandbox, 'timeline');
  });

  test('statistics: every group with its figures; a row filters the timeline and Show all clears it', async ({
    sandbox,
    page,
  }, testInfo) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}?view=stats`);
    const table = sandbox.byTestId(ids.statsTable);
    await expect(table).toBeVisible();
    // By service + operation: core's SELECT is one span of the 11.
    const select = sandbox.byTestId(ids.statsRow('core/SELECT harbor.project'));
    await expect(select).toContainText('SELECT harbor.project');
    await shootView(page, testInfo, 'stats');

    // Sorting by a column says so.
    await sandbox.byTestId(ids.statsHeader('count')).getByRole('button').click();
    await expect(sandbox.byTestId(ids.statsHeader('count'))).toHaveAttribute('aria-sort', /ascending|descending/);

    await select.click();
    await expectShowing(sandbox, 'timeline');
    await expect(page).not.toHaveURL(/[?&]view=/);
    const notice = sandbox.byTestId(ids.filterNotice);
    await expect(notice).toContainText('Showing 1 span');
    await expect(notice).toContainText('SELECT harbor.project');
    // The span and its ancestors (dimmed): fewer rows than the trace's 11.
    await expect(sandbox.byTestId(testIds.waterfall.row(SELECT))).toBeVisible();
    expect(await rows(page).count()).toBeLessThan(11);
    await shootView(page, testInfo, 'timeline-filtered');

    await sandbox.byTestId(ids.filterClear).click();
    await expect(notice).toHaveCount(0);
    await expect(rows(page)).toHaveCount(11);

    // By service: core's four spans.
    await switchTo(sandbox, 'stats');
    // (Grafana 12.4's RadioButtonGroup drops data-testid, so the group-by switch is found by its role.)
    await sandbox.byTestId(ids.view('stats')).getByRole('radio', { name: 'Service', exact: true }).click();
    await sandbox.byTestId(ids.statsRow('core')).click();
    await expect(sandbox.byTestId(ids.filterNotice)).toContainText('Showing 4 spans');
  });

  test('keyboard: Enter on a Statistics row filters the timeline and the focus goes on in its list', async ({
    sandbox,
    page,
  }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}?view=stats`);
    const table = sandbox.byTestId(ids.statsTable);
    await expect(table).toBeVisible();
    await sandbox.byTestId(ids.view('stats')).getByRole('radio', { name: 'Service', exact: true }).click();
    await table.focus();
    await page.keyboard.press('Home');
    // The active row's group, whichever the default order puts first.
    const first = await table.getByRole('row', { selected: true }).getAttribute('data-testid');
    expect(first).toBeTruthy();
    await page.keyboard.press('Enter');
    await expectShowing(sandbox, 'timeline');
    // Not <body>: the keyboard goes on from the timeline's list.
    const list = sandbox.byTestId(testIds.waterfall.list);
    await expect(list).toBeFocused();
    await expect(sandbox.byTestId(ids.filterNotice)).toContainText(/Showing \d+ spans?:/);
    await page.keyboard.press('ArrowDown');
    await expect(list).toBeFocused();
    await expect(rows(page).and(page.locator('[aria-selected="true"]'))).toHaveCount(1);
  });

  test('span table: a row opens the span in the timeline with its details', async ({ sandbox, page }, testInfo) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}?view=table`);
    const table = testIds.spanTable;
    await expect(sandbox.byTestId(table.count)).toContainText('11');
    await expect(sandbox.byTestId(table.row(SELECT))).toContainText('SELECT harbor.project');
    await shootView(page, testInfo, 'table');

    // The filter narrows the rows.
    await sandbox.byTestId(table.filter).fill('SELECT');
    await expect(sandbox.byTestId(table.count)).toContainText('1 of 11');

    await sandbox.byTestId(table.row(SELECT)).click();
    await expectShowing(sandbox, 'timeline');
    await expect(page).toHaveURL(new RegExp(`[?&]span=${SELECT}`));
    await expect(page).not.toHaveURL(/[?&]view=/);
    await expect(sandbox.byTestId(testIds.waterfall.details)).toContainText('SELECT harbor.project');
    await expect(sandbox.byTestId(testIds.waterfall.row(SELECT))).toHaveAttribute('aria-selected', 'true');
  });

  test('statistics at 1,024 px: a sideways scroll moves header and rows together, every column reachable', async ({
    sandbox,
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 900 });
    await sandbox.goto(`${APP}/trace/${RECORDED}?view=stats`);
    const table = sandbox.byTestId(ids.statsTable);
    await expect(sandbox.byTestId(ids.statsRow('core/SELECT harbor.project'))).toBeVisible();
    // Total is explained where Self time is: nested spans of one group each count.
    await expect(sandbox.byTestId(ids.view('stats'))).toContainText('it can exceed the trace');
    const lefts = () =>
      table.evaluate((grid) => {
        const [head, row] = [...grid.querySelectorAll('[role="row"]')];
        const x = (r: Element) => [...r.children].map((c) => Math.round(c.getBoundingClientRect().left));
        return {
          head: x(head),
          row: x(row),
          width: head.getBoundingClientRect().width - row.getBoundingClientRect().width,
        };
      });
    // Scroll the rows' box sideways as far as it goes (a wheel or trackpad does the same).
    await table.evaluate((grid) => {
      const rowsBox = [...grid.querySelectorAll<HTMLElement>('*')].find(
        (e) => getComputedStyle(e).overflowX === 'auto'
      )!;
      rowsBox.scrollLeft = rowsBox.scrollWidth;
    });
    const after = await lefts();
    expect(after.head).toEqual(after.row);
    expect(after.width).toBe(0);
    // Errors, the last column, is in view
    const errors = await sandbox.byTestId(ids.statsHeader('errors')).boundingBox();
    const box = await table.boundingBox();
    expect(errors!.x + errors!.width).toBeLessThanOrEqual(box!.x + box!.width + 1);
  });

  test('span table with added columns: the picker adds several at once, Service and Name stay when scrolled', async ({
    sandbox,
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 900 });
    await sandbox.goto(`${APP}/trace/${RECORDED}?view=table`);
    const table = testIds.spanTable;
    await sandbox.byTestId(table.addColumn).click();
    const keys = sandbox.byTestId(table.picker).getByRole('list').getByRole('button');
    // The picker stays open: three keys in one opening.
    for (let i = 0; i < 3; i++) {
      await keys.first().click();
    }
    await expect(sandbox.byTestId(table.picker)).toBeVisible();
    await page.keyboard.press('Escape');
    await expect(sandbox.byTestId(table.picker)).toHaveCount(0);
    await expect(sandbox.byTestId(table.grid).getByRole('columnheader')).toHaveCount(10);
    // Columns out of view at the right: said, and a button scrolls to them.
    const more = page.getByRole('button', { name: 'More columns' });
    await expect(more).toBeVisible();
    const grid = sandbox.byTestId(table.grid);
    await grid.evaluate((el) => {
      el.scrollLeft = el.scrollWidth;
    });
    await expect(more).toHaveCount(0);
    // Service and Name are still where they were, over their own columns.
    const row = sandbox.byTestId(table.row(SELECT));
    const gridBox = (await grid.boundingBox())!;
    const service = (await row.getByRole('gridcell').nth(0).boundingBox())!;
    const name = (await row.getByRole('gridcell').nth(1).boundingBox())!;
    expect(Math.round(service.x - gridBox.x)).toBeLessThanOrEqual(1);
    expect(Math.round(name.x - service.x)).toBe(150);
    await expect(row.getByRole('gridcell').nth(1)).toContainText('SELECT harbor.project');
  });

  test('flame graph: draws the trace on its canvas; a double-click opens a span in the timeline', async ({
    sandbox,
    page,
  }, testInfo) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}?view=flame`);
    const canvas = sandbox.byTestId(testIds.flameGraph.canvas);
    await expect(canvas).toHaveAttribute('data-mode', 'time');
    await expect(canvas).toHaveAttribute('data-boxes', '11');
    // Not blank: the background, the boxes of several services and their labels.
    await expect.poll(() => canvasColours(page)).toBeGreaterThan(5);
    await shootView(page, testInfo, 'flame');

    // By service + operation: the aggregated paths.
    // (Grafana 12.4's RadioButtonGroup drops data-testid, so the mode switch is found by its role.)
    await sandbox.byTestId(testIds.flameGraph.container).getByRole('radio', { name: 'By service + operation' }).click();
    await expect(canvas).toHaveAttribute('data-mode', 'paths');
    await expect.poll(() => canvasColours(page)).toBeGreaterThan(5);
    await shootView(page, testInfo, 'flame-paths');

    await sandbox.byTestId(testIds.flameGraph.container).getByRole('radio', { name: 'By time' }).click();
    await expect(canvas).toHaveAttribute('data-mode', 'time');
    // The top row is the root span, the whole width.
    await canvas.dblclick({ position: { x: 200, y: 8 } });
    await expectShowing(sandbox, 'timeline');
    await expect(page).toHaveURL(new RegExp(`[?&]span=${ROOT_SPAN}`));
    await expect(sandbox.byTestId(testIds.waterfall.details)).toContainText('click push');
  });

  test('flame graph: a double-click on a deep box opens that span, though its first click zoomed in', async ({
    sandbox,
    page,
  }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}?view=flame`);
    const canvas = sandbox.byTestId(testIds.flameGraph.canvas);
    await expect(canvas).toHaveAttribute('data-mode', 'time');
    await expect(sandbox.page.getByRole('radiogroup', { name: 'Flame graph layout' })).toBeVisible();
    // One row per depth (GET /api/v1/jobs starts 0.6 ms before its sibling ends: not parallel), so "job scan", at
    // depth 7, is on the bottom row, from 23 ms of 54.8 to the end.
    const box = (await canvas.boundingBox())!;
    const jobScan = { x: box.width * 0.8, y: 7 * 20 + 10 };
    await canvas.click({ position: jobScan });
    await expect(sandbox.byTestId(testIds.flameGraph.crumb(7))).toHaveText('jobservice · job scan');
    await expect(sandbox.byTestId(testIds.flameGraph.crumb(6))).toHaveText('jobservice · GET /api/v1/jobs');
    // the breadcrumb's row was there before the zoom: the canvas did not move under the pointer
    expect((await canvas.boundingBox())!.y).toBe(box.y);
    await canvas.dblclick({ position: jobScan });
    await expectShowing(sandbox, 'timeline');
    await expect(page).toHaveURL(new RegExp(`[?&]span=${JOB_SCAN}`));
    await expect(sandbox.byTestId(testIds.waterfall.details)).toContainText('job scan');
  });

  test('download gives a file of the trace that parses, in each format', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}`);
    await expect(rows(page)).toHaveCount(11);
    for (const format of ['tempo', 'otlp', 'jaeger'] as const) {
      await sandbox.byTestId(testIds.downloadTrace.button).click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        sandbox.byTestId(testIds.downloadTrace.format(format)).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`trace-${RECORDED}-${format}.json`);
      const file = await download.path();
      const body = JSON.parse(readFileSync(file, 'utf8'));
      const text = JSON.stringify(body);
      expect(text).toContain('SELECT harbor.project');
      if (format === 'jaeger') {
        expect(body.data[0].traceID).toBe(RECORDED);
        expect(body.data[0].spans).toHaveLength(11);
      } else {
        const batches = body.batches ?? body.resourceSpans ?? body.trace?.resourceSpans ?? body.trace?.batches;
        expect(Array.isArray(batches), `${format}: resource spans`).toBe(true);
        const spans = batches.flatMap((b: any) =>
          (b.scopeSpans ?? b.instrumentationLibrarySpans).flatMap((s: any) => s.spans)
        );
        expect(spans).toHaveLength(11);
      }
    }
  });

  test('span links to logs appear when the Tempo data source configures trace-to-logs', async ({ sandbox, page }) => {
    // Grafana's boot data with a Loki data source and Tempo's trace-to-logs pointing at it: the host's
    // getDataSourceSrv() reads this list (the rest of the sandbox is unchanged).
    await page.route('**/sandbox/info', async (route) => {
      const response = await route.fetch();
      const info = await response.json();
      info.datasources = [
        ...info.datasources.map((ds: { uid: string; jsonData: Record<string, unknown> }) =>
          ds.uid === 'tempo'
            ? {
                ...ds,
                jsonData: {
                  ...ds.jsonData,
                  tracesToLogsV2: { datasourceUid: 'loki', filterByTraceID: true, spanStartTimeShift: '-1m' },
                },
              }
            : ds
        ),
        { uid: 'loki', name: 'Loki', type: 'loki', jsonData: {}, url: '' },
      ];
      await route.fulfill({ response, json: info });
    });
    await sandbox.goto(`${APP}/trace/${RECORDED}?span=${SELECT}`);
    const details = sandbox.byTestId(testIds.waterfall.details);
    await expect(details).toContainText('SELECT harbor.project');
    const link = sandbox.byTestId(testIds.spanLinks.link('logs', 0));
    await expect(link).toBeVisible();
    await expect(link).toContainText('Logs for this span');
    const href = decodeURIComponent((await link.getAttribute('href')) ?? '');
    expect(href).toContain('/explore');
    expect(href).toContain('"loki"');
    // Grafana's default tags: service.name as service_name; the trace ID filter asked for.
    expect(href).toContain('service_name=\\"core\\"');
    expect(href).toContain(RECORDED);
  });

  test('without trace-to-logs the details have no span links', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}?span=${SELECT}`);
    await expect(sandbox.byTestId(testIds.waterfall.details)).toContainText('SELECT harbor.project');
    await expect(sandbox.byTestId(testIds.spanLinks.container)).toHaveCount(0);
  });
});

test.describe('trace views in the waterfall panel', () => {
  test('switches views, each in the URL per panel', async ({ sandbox, page }, testInfo) => {
    await sandbox.goto('/panel/waterfall?data=error-trace');
    await expect(rows(page).first()).toBeVisible();
    await expectShowing(sandbox, 'timeline');

    for (const view of ['stats', 'flame', 'table'] as const) {
      await switchTo(sandbox, view);
      await expectShowing(sandbox, view);
      await expect(page).toHaveURL(new RegExp(`[?&]traceway-view-1=${view}(&|$)`));
      await expect(page).toHaveURL(/[?&]data=error-trace/);
      await page
        .getByTestId('data-testid sandbox-panel')
        .screenshot({ path: testInfo.outputPath(`panel-${view}.png`), animations: 'disabled' });
    }
    await expect.poll(() => canvasColours(page)).toBeGreaterThan(5);

    await switchTo(sandbox, 'timeline');
    await expectShowing(sandbox, 'timeline');
    await expect(page).not.toHaveURL(/traceway-view-1=/);

    // The panel's view from the URL.
    await sandbox.goto('/panel/waterfall?data=error-trace&traceway-view-1=stats');
    await expectShowing(sandbox, 'stats');
  });
});
