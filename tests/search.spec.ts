import { expect, test, testIds } from './fixtures';

const APP = '/a/traceway-explorer-app';
const ids = testIds.searchPage;
const RECORDED = '5feb30ccfb3cdb0936f11324d886982a';

/**
 * The Search page against the sandbox's replayed Tempo (sandbox/data/tempo/api/search.routes.json picks a
 * recorded answer by the TraceQL asked; times are moved into the searched range).
 */
test.describe('search page', () => {
  test('a search shows results in a table and a scatter plot, failed traces marked', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/search`);
    await expect(sandbox.byTestId(ids.summary)).toContainText('traces');
    // Every recorded result (27 traces), of which the companion query finds 5 failed.
    await expect(sandbox.byTestId(ids.summary)).toHaveText('27 traces, 5 failed');
    // One path of points per kind.
    await expect(sandbox.byTestId(ids.scatterPoint)).toHaveAttribute('data-count', '22');
    await expect(sandbox.byTestId(ids.scatterErrorPoint)).toHaveAttribute('data-count', '5');
    // The table is virtualised: it renders the rows in view, not all 27.
    const rows = page.locator(`[data-testid^="${ids.row('')}"]`);
    expect(await rows.count()).toBeLessThan(27);
    await expect(rows.first()).toBeVisible();
    await expect(sandbox.byTestId(ids.query)).toHaveText('{}');
    await sandbox.expectThemeApplied();
    await sandbox.screenshot('search-results');

    // Matched spans of a row, then sorting by duration.
    await sandbox.byTestId(ids.expand(RECORDED)).click();
    await expect(sandbox.byTestId(ids.matchedSpans(RECORDED))).toContainText('3846b10d2d53dec8');
    // Sorting starts the list from the top again.
    const rowAt = (i: number) => page.locator(`[role="row"][aria-rowindex="${i + 2}"]`);
    await sandbox.byTestId(ids.sort('durationMs')).click();
    await expect(rowAt(0)).toContainText('62 ms');
    await expect(rowAt(0)).toBeInViewport();
    // Failed first: the five marked rows lead.
    await sandbox.byTestId(ids.sort('failed')).click();
    for (let i = 0; i < 5; i++) {
      await expect(rowAt(i).getByTestId(ids.errorMark)).toBeVisible();
    }
    await expect(rowAt(5).getByTestId(ids.errorMark)).toHaveCount(0);

    // A failed point of the plot: hovering says what it is, clicking opens its trace. The sandbox has the
    // whole trace of only two of the traces it finds: the Trace page may ask for one it answers 404.
    sandbox.allowConsoleError(/status of 404/);
    const d = (await sandbox.byTestId(ids.scatterErrorPoint).getAttribute('d'))!;
    const [, x, y] = /M(-?[\d.]+) (-?[\d.]+)l/.exec(d)!.map(Number);
    const plot = sandbox.byTestId(ids.scatter).locator('svg');
    // The diamond's top corner is at (x, y): its centre is 5 px lower.
    await plot.hover({ position: { x, y: y + 5 } });
    await expect(sandbox.byTestId(ids.scatterTooltip)).toContainText('failed');
    await plot.click({ position: { x, y: y + 5 } });
    await expect(page).toHaveURL(new RegExp(`${APP}/trace/[0-9a-f]{32}\\?ds=tempo&from=`));
  });

  test("the service picker offers Tempo's services and narrows span names to the one picked", async ({
    sandbox,
    page,
  }) => {
    await sandbox.goto(`${APP}/search`);
    await sandbox.byTestId(ids.service).click();
    await page.getByRole('option', { name: 'core', exact: true }).click();
    await expect(sandbox.byTestId(ids.query)).toHaveText('{ resource.service.name = "core" }');
    await sandbox.byTestId(ids.spanName).click();
    await expect(page.getByRole('option', { name: 'SELECT harbor.project' })).toBeVisible();
    // The click push of the UI is harbor-ui's, not core's.
    await expect(page.getByRole('option', { name: 'click push' })).toHaveCount(0);
    await page.keyboard.press('Escape');
  });

  test('an empty search says so and offers a wider range', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/search?service=no-such-service`);
    await expect(sandbox.byTestId(ids.empty)).toContainText('No traces found');
    await expect(sandbox.byTestId(ids.widen)).toHaveText('Search the last 3 hours');
    await sandbox.screenshot('search-empty');
    await sandbox.byTestId(ids.widen).click();
    await expect(page).toHaveURL(/from=now-3h/);
    await expect(sandbox.byTestId(ids.widen)).toHaveText('Search the last 6 hours');
  });

  test('a TraceQL error is shown next to the query with its position', async ({ sandbox }) => {
    // Chromium logs the 400 of the refused query as a console error.
    sandbox.allowConsoleError(/status of 400/);
    await sandbox.goto(`${APP}/search?q=${encodeURIComponent('{ resource.service.name = "core"')}`);
    await expect(sandbox.byTestId(ids.queryEditor)).toHaveValue('{ resource.service.name = "core"');
    const error = sandbox.byTestId(ids.queryError);
    await expect(error).toContainText('Tempo refused the query');
    await expect(error).toContainText('At line 1, column 34');
    await expect(error).toContainText('syntax error: unexpected $end');
    // The fields are off while the TraceQL is edited by hand.
    await expect(sandbox.byTestId(ids.minDuration)).toBeDisabled();
    await sandbox.screenshot('search-traceql-error');
  });

  test('the search lives in the URL, and Back from a trace returns to the same results', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/search?service=core`);
    await expect(sandbox.byTestId(ids.summary)).toHaveText('5 traces, 2 failed');
    await sandbox.byTestId(ids.minDuration).fill('30 ms');
    await sandbox.byTestId(ids.minDuration).fill('30x');
    // Said under the field as it is typed, and in place of the query.
    await expect(page.getByRole('alert').filter({ hasText: '"30x" is not a duration' })).toBeVisible();
    await expect(sandbox.byTestId(ids.query)).toContainText('The minimum duration: "30x" is not a duration');
    await expect(sandbox.byTestId(ids.submit)).toBeDisabled();
    await sandbox.byTestId(ids.minDuration).fill('30ms');
    await sandbox.byTestId(ids.submit).click();
    await expect(page).toHaveURL(/service=core&minDuration=30ms/);
    await expect(sandbox.byTestId(ids.query)).toHaveText('{ resource.service.name = "core" && duration >= 30ms }');
    await expect(sandbox.byTestId(ids.summary)).toHaveText('20 traces');
    const explore = await sandbox.byTestId(ids.explore).getAttribute('href');
    expect(decodeURIComponent(explore!)).toContain('duration >= 30ms');

    await sandbox.byTestId(ids.row(RECORDED)).click();
    await expect(page).toHaveURL(new RegExp(`${APP}/trace/${RECORDED}\\?ds=tempo&from=\\d+&to=\\d+`));
    await expect(sandbox.byTestId(testIds.tracePage.traceId)).toHaveText(RECORDED);

    await page.goBack();
    await expect(page).toHaveURL(/service=core&minDuration=30ms/);
    await expect(sandbox.byTestId(ids.minDuration)).toHaveValue('30ms');
    await expect(sandbox.byTestId(ids.summary)).toHaveText('20 traces');

    // A reload keeps the search too.
    await page.reload();
    await expect(sandbox.byTestId(ids.summary)).toHaveText('20 traces');
  });

  test('a link with parts that cannot be read says which, and searches the rest', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/search?service=core&status=broken&limit=5000`);
    const problems = sandbox.byTestId(ids.urlProblems);
    await expect(problems).toContainText('status "broken" is not one of any, error, ok');
    await expect(problems).toContainText('limit "5000" is not a whole number from 1 to 1000');
    await expect(sandbox.byTestId(ids.summary)).toHaveText('5 traces, 2 failed');
  });

  test('a request ID finds its trace; a pasted trace ID opens it', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/search?requestId=c3f3de22-5ca0-4e9d-9dcb-dfcdd33ef212`);
    await expect(sandbox.byTestId(ids.row(RECORDED))).toBeVisible();
    await expect(sandbox.byTestId(ids.summary)).toHaveText('1 trace');
    // Typed (fill sends no paste): the button offers the trace.
    await sandbox.byTestId(ids.requestId).fill(RECORDED.toUpperCase());
    await sandbox.byTestId(ids.openTrace).click();
    await expect(page).toHaveURL(new RegExp(`${APP}/trace/${RECORDED}`));

    // Pasted: the trace opens at once. A paste event as the browser sends one, without clipboard permissions.
    await page.goBack();
    await expect(sandbox.byTestId(ids.summary)).toHaveText('1 trace');
    await sandbox.byTestId(ids.requestId).evaluate((el, text) => {
      const data = new DataTransfer();
      data.setData('text/plain', text);
      el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: data, bubbles: true, cancelable: true }));
    }, ` ${RECORDED.toUpperCase()} `);
    await expect(page).toHaveURL(new RegExp(`${APP}/trace/${RECORDED}`));
  });

  test("Grafana's time picker and refresh search again", async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/search?service=core`);
    await expect(sandbox.byTestId(ids.summary)).toHaveText('5 traces, 2 failed');
    await sandbox
      .byTestId(ids.timeRange)
      .getByRole('button', { name: /Last 1 hour/ })
      .click();
    await page.getByText('Last 6 hours').click();
    await expect(page).toHaveURL(/service=core.*from=now-6h&to=now|from=now-6h&to=now.*service=core/);
    await expect(sandbox.byTestId(ids.summary)).toHaveText('5 traces, 2 failed');
    const before = await sandbox.page.evaluate(() => performance.getEntriesByType('resource').length);
    await sandbox.byTestId(ids.timeRange).getByRole('button', { name: 'Search again' }).click();
    await expect
      .poll(() => sandbox.page.evaluate(() => performance.getEntriesByType('resource').length))
      .toBeGreaterThan(before);
    await expect(sandbox.byTestId(ids.summary)).toHaveText('5 traces, 2 failed');
  });

  test('attribute filters add to the TraceQL and to the URL', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/search`);
    await sandbox.byTestId(ids.addFilter).click();
    const filter = sandbox.byTestId(ids.filter(0));
    await filter.getByLabel('Attribute key').fill('http.response.status_code');
    await filter.getByLabel('Attribute value').fill('500');
    await expect(sandbox.byTestId(ids.query)).toHaveText('{ span.http.response.status_code = 500 }');
    await sandbox.screenshot('search-filter');
    await sandbox.byTestId(ids.submit).click();
    await expect(page).toHaveURL(/attr=/);
    expect(new URL(page.url()).searchParams.getAll('attr')).toEqual(['["span","http.response.status_code","=","500"]']);
    await sandbox.byTestId(ids.removeFilter(0)).click();
    await expect(sandbox.byTestId(ids.query)).toHaveText('{}');
  });
});
