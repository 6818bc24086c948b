import path from 'node:path';
import { Page, TestInfo } from '@playwright/test';
import { expect, test, testIds } from './fixtures';

/**
 * The Compare page (src/pages/compare): two recorded Harbor requests, the "scan" that worked (A) and the one that
 * failed with HTTP 500 (B), by their IDs in the form and in the URL, and from two selected rows of the Search
 * page's results.
 */
const APP = '/a/traceway-explorer-app';
const RECORDED = '5feb30ccfb3cdb0936f11324d886982a';
const FAILED = 'cc0f27b1800ba01de70dbd56394cd4bc';
const ids = testIds.compare;

/** The diff of RECORDED (A) and FAILED (B): paths only in A (scan, jobs) and only in B (boom), and shared ones. */
async function expectDiff(page: Page) {
  await expect(page.getByTestId(ids.side('a'))).toHaveAttribute('data-status', 'loaded');
  await expect(page.getByTestId(ids.side('b'))).toHaveAttribute('data-status', 'loaded');
  await expect(page.getByTestId(ids.diff)).toBeVisible();
  await expect(page.getByTestId(ids.summary)).not.toBeEmpty();
  const list = page.getByTestId(ids.list);
  await expect(list.locator('[data-kind="added"]').first()).toBeVisible();
  await expect(list.locator('[data-kind="removed"]').first()).toBeVisible();
  await expect(list).toContainText('job scan');
  await expect(list).toContainText('GET /api/v2.0/projects/boom');
}

async function shoot(page: Page, testInfo: TestInfo, name: string) {
  await page.mouse.move(0, 0);
  await page.evaluate(() => document.fonts.ready);
  await page.screenshot({ path: testInfo.outputPath(`${name}.png`), fullPage: true, animations: 'disabled' });
}

test.describe('compare two traces', () => {
  test('by two IDs typed in the form, kept in the URL; each side opens its trace', async ({
    sandbox,
    page,
  }, testInfo) => {
    await sandbox.goto(`${APP}/compare`);
    await expect(sandbox.byTestId(ids.intro)).toBeVisible();
    await sandbox.byTestId(ids.input('a')).fill(RECORDED);
    await sandbox.byTestId(ids.input('b')).fill(FAILED);
    await sandbox.byTestId(ids.submit).click();
    await expect(page).toHaveURL(new RegExp(`[?&]a=${RECORDED}`));
    await expect(page).toHaveURL(new RegExp(`[?&]b=${FAILED}`));
    await expectDiff(page);
    await shoot(page, testInfo, 'compare');

    // Swap makes the failed request the baseline: what was added is now removed.
    await sandbox.byTestId(ids.swap).click();
    await expect(page).toHaveURL(new RegExp(`[?&]a=${FAILED}`));
    await expect(sandbox.byTestId(ids.side('a'))).toHaveAttribute('data-status', 'loaded');

    // A side links to its Trace page.
    await sandbox.byTestId(ids.sideOpen('a')).click();
    await expect(page).toHaveURL(new RegExp(`/trace/${FAILED}`));
    await expect(page.getByRole('treeitem').first()).toBeVisible();
  });

  test('narrow: the paths fit at 1024 px, and narrower the header scrolls sideways with the rows', async ({
    sandbox,
    page,
  }) => {
    await page.setViewportSize({ width: 1024, height: 900 });
    await sandbox.goto(`${APP}/compare?a=${RECORDED}&b=${FAILED}`);
    await expectDiff(page);
    const list = page.getByTestId(ids.list);
    const scroller = list.locator('> div').first();
    // header and first row: the left edge of each cell
    const edges = () =>
      list.evaluate((el) =>
        Array.from(el.querySelectorAll('[role=row]'))
          .slice(0, 2)
          .map((row) => Array.from(row.children).map((c) => Math.round(c.getBoundingClientRect().left)))
      );
    expect(await scroller.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeLessThanOrEqual(0);
    const [head, row] = await edges();
    expect(head).toEqual(row);
    await expect(list.getByRole('columnheader', { name: 'Difference (B − A)' })).toBeVisible();

    await page.setViewportSize({ width: 800, height: 900 });
    await expect.poll(() => scroller.evaluate((el) => el.scrollWidth - el.clientWidth)).toBeGreaterThan(0);
    await scroller.evaluate((el) => (el.scrollLeft = 150));
    const [headScrolled, rowScrolled] = await edges();
    expect(headScrolled).toEqual(rowScrolled);
    expect(headScrolled[0]).toBeLessThan(head[0]);
  });

  test("a path's total opens its span on the Trace page", async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/compare?a=${RECORDED}&b=${FAILED}`);
    await expectDiff(page);
    // The root path's total in B: the failed request's root span.
    const root = page.getByTestId(ids.list).locator('[role=row]', { hasText: 'harbor-ui click push' }).first();
    await root.getByTestId(ids.openB).click();
    await expect(page).toHaveURL(new RegExp(`/trace/${FAILED}\\?span=5605a67342d76d94`));
    await expect(page.getByRole('treeitem', { selected: true })).toContainText('click push');
  });

  test('one ID on both sides, and one file of several traces on both sides', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/compare?a=${RECORDED}&b=${RECORDED}`);
    await expect(sandbox.byTestId(ids.sameTrace)).toContainText('A and B are the same trace');
    await expect(sandbox.byTestId(ids.list)).toHaveCount(0);

    // The same export of several traces for A and B: B starts at the second, and says why.
    await sandbox.goto(`${APP}/compare`);
    const demo = path.join(__dirname, '..', 'fixtures', 'otel-js-demo', 'demo-traces.jsonl');
    await sandbox.byTestId(ids.fileInput('a')).setInputFiles(demo);
    await expect(sandbox.byTestId(ids.side('a'))).toHaveAttribute('data-status', 'loaded');
    await sandbox.byTestId(ids.fileInput('b')).setInputFiles(demo);
    await expect(sandbox.byTestId(ids.side('b'))).toHaveAttribute('data-status', 'loaded');
    await expect(sandbox.byTestId(ids.side('b'))).toContainText('trace 2 of 22');
    await expect(sandbox.byTestId(ids.sideNote('b'))).toHaveText('Trace 2 picked: trace 1 is the one A has.');
    await expect(sandbox.byTestId(ids.summary)).toBeVisible();
    await expect(sandbox.byTestId(ids.sameTrace)).toHaveCount(0);
  });

  test('from the URL, and a bad ID says which side', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/compare?a=${RECORDED}&b=${FAILED}`);
    await expectDiff(page);

    await sandbox.goto(`${APP}/compare`);
    await sandbox.byTestId(ids.input('a')).fill(RECORDED);
    await sandbox.byTestId(ids.input('b')).fill('not a trace id');
    await sandbox.byTestId(ids.submit).click();
    await expect(sandbox.byTestId(ids.inputError('b'))).toBeVisible();
    await expect(sandbox.byTestId(ids.inputError('a'))).toHaveCount(0);
  });

  test('from two selected rows of the search results', async ({ sandbox, page }, testInfo) => {
    // Tempo's search answers these two recorded traces, a few minutes ago (inside the asked range).
    const now = Date.now();
    const result = (traceID: string, minutesAgo: number, name: string, durationMs: number) => {
      const start = BigInt(now - minutesAgo * 60_000) * BigInt(1_000_000);
      return {
        traceID,
        rootServiceName: 'harbor-ui',
        rootTraceName: name,
        startTimeUnixNano: String(start),
        durationMs,
        spanSet: { spans: [], matched: 0 },
        spanSets: [],
      };
    };
    const traces = [result(RECORDED, 5, 'click push', 55), result(FAILED, 8, 'click push', 28)];
    await page.route('**/api/datasources/proxy/uid/tempo/api/search?*', (route) => {
      const url = new URL(route.request().url());
      const start = Number(url.searchParams.get('start') ?? 0) * 1000;
      const end = Number(url.searchParams.get('end') ?? Infinity) * 1000;
      // The page's companion query that marks failed traces finds only the failed one.
      const failedOnly = (url.searchParams.get('q') ?? '').includes('status = error');
      const inRange = traces.filter((t) => {
        const ms = Number(BigInt(t.startTimeUnixNano) / BigInt(1_000_000));
        return ms >= start && ms <= end && (!failedOnly || t.traceID === FAILED);
      });
      return route.fulfill({
        json: { traces: inRange, metrics: { inspectedTraces: inRange.length, completedJobs: 1, totalJobs: 1 } },
      });
    });
    await sandbox.goto(`${APP}/search`);
    // The search runs in time slices; on a busy machine the rows take a while.
    await expect(sandbox.byTestId(testIds.searchPage.row(RECORDED))).toBeVisible({ timeout: 20_000 });
    await expect(sandbox.byTestId(testIds.searchPage.row(FAILED))).toBeVisible();
    await expect(sandbox.byTestId(testIds.searchPage.summary)).toHaveText('2 traces, 1 failed');
    const compare = sandbox.byTestId(ids.searchCompare);
    await expect(compare).toBeDisabled();
    await sandbox.byTestId(ids.select(RECORDED)).check();
    await expect(compare).toBeDisabled();
    await sandbox.byTestId(ids.select(FAILED)).check();
    await expect(compare).toBeEnabled();
    await shoot(page, testInfo, 'search-selected');
    await compare.click();

    // The first selected is A, the baseline; the data source and range come along.
    await expect(page).toHaveURL(new RegExp(`/compare\\?.*a=${RECORDED}`));
    await expect(page).toHaveURL(new RegExp(`[?&]b=${FAILED}`));
    await expect(page).toHaveURL(/[?&]from=\d+/);
    await expectDiff(page);
  });
});
