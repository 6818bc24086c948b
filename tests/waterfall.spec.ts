import { Page } from '@playwright/test';
import { expect, test, testIds } from './fixtures';
import {
  BIG_TRACE_ID,
  IMG,
  JS_URL,
  PAYLOAD_TRACE_ID,
  RLO_EVENT,
  RLO_KEY,
  RLO_SERVICE,
  RLO_VALUE,
  SCRIPT,
  SPOOFED_URL,
  generateTrace,
  payloadTrace,
  tempoV2,
} from './traces';

const APP = '/a/traceway-explorer-app';
const ids = testIds.waterfall;
const RECORDED = '5feb30ccfb3cdb0936f11324d886982a';
const FAILED = 'cc0f27b1800ba01de70dbd56394cd4bc';
const SELECT = 'e1ff702a5a2c8ac4';

/** Answers the Tempo proxy for one trace ID with a generated body, as the sandbox would from a file. */
async function serveTrace(page: Page, traceId: string, body: string) {
  await page.route(`**/api/datasources/proxy/uid/tempo/api/v2/traces/${traceId}*`, (route) =>
    route.fulfill({ status: 200, contentType: 'application/json', body })
  );
}

const rows = (page: Page) => page.getByRole('treeitem');

const SKEW_TRACE_ID = '000000000000000000000000000005e0';
const SKEWED_SPAN = '0000000000000003';
const UNNAMED_SPAN = '0000000000000004';
/** gateway calls registry, whose server span starts 50 ms before the call: clocks 50 ms apart. */
const skewedTrace = () =>
  tempoV2(SKEW_TRACE_ID, [
    { id: '0000000000000001', name: 'GET /v2', service: 'gateway', kind: 'server', startMs: 100, durationMs: 100 },
    {
      id: '0000000000000002',
      parent: '0000000000000001',
      name: 'HTTP GET registry',
      service: 'gateway',
      kind: 'client',
      startMs: 110,
      durationMs: 40,
    },
    {
      id: SKEWED_SPAN,
      parent: '0000000000000002',
      name: 'GET /v2/manifests',
      service: 'registry',
      kind: 'server',
      startMs: 60,
      durationMs: 30,
    },
    { id: UNNAMED_SPAN, parent: '0000000000000001', name: '', service: 'core', startMs: 160, durationMs: 10 },
  ]);

test.describe('waterfall on the trace page', () => {
  test('draws the recorded trace and opens a span from a click, keeping it in the URL', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}`);
    await expect(rows(page)).toHaveCount(11);
    await expect(sandbox.byTestId(ids.row(SELECT))).toContainText('SELECT harbor.project');
    // every tick in one unit, 0 included
    await expect(sandbox.byTestId(ids.tick).first()).toHaveText('0 ms');
    await expect(sandbox.byTestId(ids.tick).nth(1)).toHaveText('10 ms');
    await sandbox.expectThemeApplied();
    await sandbox.screenshot('waterfall-small');

    await sandbox.byTestId(ids.row(SELECT)).click();
    const details = sandbox.byTestId(ids.details);
    await expect(details).toContainText('SELECT harbor.project');
    await expect(details).toContainText('Self time');
    await expect(page).toHaveURL(new RegExp(`[?&]span=${SELECT}`));
    await sandbox.screenshot('waterfall-details');

    // The keyboard works on the list: up moves, Escape closes, / goes to find.
    await page.keyboard.press('ArrowUp');
    await expect(details).toContainText('GET /api/v2.0/projects/scan');
    await page.keyboard.press('Escape');
    await expect(details).toHaveCount(0);
    await page.keyboard.press('/');
    await expect(sandbox.byTestId(ids.find)).toBeFocused();
  });

  test('a ?span= deep link selects the span and opens its details', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}?span=${SELECT.toUpperCase()}`);
    await expect(sandbox.byTestId(ids.row(SELECT))).toHaveAttribute('aria-selected', 'true');
    await expect(sandbox.byTestId(ids.details)).toContainText('SELECT harbor.project');
  });

  test('a link to a missing span is a one-line notice that leaves the rows their height', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}?span=ffffffffffffffff`);
    const notice = sandbox.byTestId(ids.missingSpan);
    await expect(notice).toContainText('Span ffffffffffffffff is not in this trace');
    expect((await notice.boundingBox())!.height).toBeLessThanOrEqual(36);
    await expect(rows(page)).toHaveCount(11);
    for (const row of await rows(page).all()) {
      expect((await row.boundingBox())!.height).toBe(28);
    }
    await sandbox.screenshot('waterfall-missing-span');
    await notice.getByRole('button', { name: 'Dismiss' }).click();
    await expect(notice).toHaveCount(0);
  });

  test('marks a clock-skewed span with the size of the skew', async ({ sandbox, page }) => {
    await serveTrace(page, SKEW_TRACE_ID, JSON.stringify(skewedTrace()));
    await sandbox.goto(`${APP}/trace/${SKEW_TRACE_ID}`);
    await expect(rows(page)).toHaveCount(4);
    const marks = sandbox.byTestId(ids.skewMark);
    await expect(marks).toHaveCount(1);
    const skewed = sandbox.byTestId(ids.row(SKEWED_SPAN));
    await expect(skewed.getByTestId(ids.skewMark)).toBeVisible();
    await marks.hover();
    await expect(page.getByRole('tooltip')).toContainText('starts 50.0 ms before its parent');
    await skewed.click();
    await expect(sandbox.byTestId(ids.detailsSkew)).toHaveText('Starts 50.0 ms before its parent');
    // a span without a name says so
    await expect(sandbox.byTestId(ids.row(UNNAMED_SPAN))).toContainText('(no name)');
    await sandbox.screenshot('waterfall-clock-skew');
  });

  test('the name column and the details pane can be resized, by mouse and keyboard', async ({ sandbox, page }) => {
    await page.setViewportSize({ width: 1024, height: 800 });
    await sandbox.goto(`${APP}/trace/${RECORDED}?span=${SELECT}`);
    await expect(sandbox.byTestId(ids.details)).toBeVisible();
    // at 1024 px with the details open, span names still show, ahead of their services
    const name = sandbox.byTestId(ids.row(SELECT)).locator('[title*="SELECT harbor.project"]');
    expect((await name.boundingBox())!.width).toBeGreaterThan(40);
    await sandbox.screenshot('waterfall-1024-details');

    const handle = sandbox.byTestId(ids.nameResize);
    const before = Number(await handle.getAttribute('aria-valuenow'));
    const box = (await handle.boundingBox())!;
    await page.mouse.move(box.x + box.width / 2, box.y + 10);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width / 2 + 150, box.y + 10, { steps: 5 });
    await page.mouse.up();
    const after = Number(await handle.getAttribute('aria-valuenow'));
    expect(after).toBeGreaterThan(before);
    expect((await name.boundingBox())!.width).toBeGreaterThan(100);
    await handle.focus();
    await page.keyboard.press('ArrowLeft');
    await expect(handle).toHaveAttribute('aria-valuenow', String(Math.round(after - 2)));
    // the tree's keys did not act on the selection
    await expect(sandbox.byTestId(ids.row(SELECT))).toHaveAttribute('aria-selected', 'true');

    const details = sandbox.byTestId(ids.details);
    const width = (await details.boundingBox())!.width;
    const dHandle = sandbox.byTestId(ids.detailsResize);
    const dBox = (await dHandle.boundingBox())!;
    await page.mouse.move(dBox.x + dBox.width / 2, dBox.y + 40);
    await page.mouse.down();
    await page.mouse.move(dBox.x + dBox.width / 2 - 120, dBox.y + 40, { steps: 5 });
    await page.mouse.up();
    expect((await details.boundingBox())!.width).toBeGreaterThan(width + 80);
    await sandbox.screenshot('waterfall-1024-resized');
  });

  test('the header lists the services with their bar colours and span counts', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}`);
    await expect(sandbox.byTestId(ids.row(SELECT))).toBeVisible();
    const core = sandbox.byTestId(testIds.tracePage.service('core'));
    await expect(core).toContainText('core4');
    await expect(sandbox.byTestId(testIds.tracePage.services).getByRole('listitem').first()).toContainText('harbor-ui');
    // the legend's swatch is the colour of the service's bars
    const swatch = await core
      .locator('span')
      .first()
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    const bar = await sandbox
      .byTestId(ids.row(SELECT))
      .getByTestId(ids.bar)
      .evaluate((el) => getComputedStyle(el).backgroundColor);
    expect(swatch).toBe(bar);
    await sandbox.screenshot('trace-header-services');
  });

  test('explains the critical path', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}`);
    await sandbox.byTestId(ids.criticalLegend).hover();
    await expect(page.getByRole('tooltip')).toContainText('The critical path is the chain of work');
  });

  test('finds, collapses to a depth and zooms from the minimap', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/trace/${RECORDED}`);
    await sandbox.byTestId(ids.find).fill('core');
    await expect(sandbox.byTestId(ids.findCount)).toHaveText('1 of 4');
    await sandbox.byTestId(ids.findNext).click();
    await expect(sandbox.byTestId(ids.findCount)).toHaveText('2 of 4');

    await sandbox.byTestId(ids.collapseToDepth).click();
    await page.getByRole('menuitem', { name: 'Depth 2' }).click();
    await expect(rows(page)).toHaveCount(3);
    await sandbox.byTestId(ids.expandAll).click();
    await expect(rows(page)).toHaveCount(11);

    const box = (await sandbox.byTestId(ids.minimap).boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.5, box.y + box.height / 2);
    await page.mouse.down();
    await page.mouse.move(box.x + box.width * 0.7, box.y + box.height / 2, { steps: 4 });
    await page.mouse.up();
    await expect(sandbox.byTestId(ids.resetZoom)).toBeVisible();
    await expect(sandbox.byTestId(ids.header)).toContainText('window');
    await sandbox.screenshot('waterfall-zoomed');
    await sandbox.byTestId(ids.resetZoom).click();
    await expect(sandbox.byTestId(ids.resetZoom)).toHaveCount(0);
  });

  test('marks the errors of a failed request and shows its exception', async ({ sandbox, page }) => {
    await sandbox.goto(`${APP}/trace/${FAILED}`);
    await expect(sandbox.byTestId(ids.errorMark).first()).toBeVisible();
    const all = await rows(page).count();
    const errorsOnly = sandbox.byTestId(ids.container).getByLabel('Errors only');
    // the switch's input is visually replaced by its slider
    await errorsOnly.check({ force: true });
    await expect(errorsOnly).toBeChecked();
    await expect.poll(() => rows(page).count()).toBeLessThan(all);
    await expect(sandbox.byTestId(ids.header)).toContainText(`of ${all} spans`);
    const failed = page
      .getByRole('treeitem')
      .filter({ has: sandbox.byTestId(ids.errorMark) })
      .last();
    await failed.click();
    await expect(sandbox.byTestId(ids.details)).toContainText('error');
    await sandbox.screenshot('waterfall-error');
  });

  test('renders script payloads from span data as inert text', async ({ sandbox, page }) => {
    await serveTrace(page, PAYLOAD_TRACE_ID, JSON.stringify(payloadTrace()));
    const dialogs: string[] = [];
    page.on('dialog', (d) => {
      dialogs.push(d.message());
      void d.dismiss();
    });
    await sandbox.goto(`${APP}/trace/${PAYLOAD_TRACE_ID}`);
    await expect(rows(page)).toHaveCount(2);
    await sandbox.byTestId(ids.row('00000000000000a1')).click();
    const container = sandbox.byTestId(ids.container);
    await expect(container).toContainText(SCRIPT);
    await expect(container).toContainText(IMG);
    await expect(container.locator('script, img, iframe')).toHaveCount(0);

    const jsValue = sandbox.byTestId(ids.attribute('span', 'http.url'));
    await expect(jsValue).toContainText(JS_URL);
    await expect(jsValue.locator('a')).toHaveCount(0);
    const hrefs = await container.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href') ?? ''));
    expect(hrefs).toContain('https://grafana.com/docs/tempo/');
    for (const href of hrefs) {
      expect(href).toMatch(/^(https?:\/\/|\/a\/traceway-explorer-app\/)/);
    }
    await jsValue.click();
    expect(await page.evaluate(() => (window as unknown as { __pwned?: boolean }).__pwned)).toBeUndefined();
    expect(dialogs).toEqual([]);
    await sandbox.screenshot('waterfall-payloads');
  });

  test('right-to-left overrides in span data reorder only themselves, never the UI text around', async ({
    sandbox,
    page,
  }) => {
    await serveTrace(page, PAYLOAD_TRACE_ID, JSON.stringify(payloadTrace()));
    await sandbox.goto(`${APP}/trace/${PAYLOAD_TRACE_ID}?span=00000000000000a1`);
    const details = sandbox.byTestId(ids.details);
    await expect(details).toContainText(RLO_EVENT);

    // Each line: the texts in the order they must appear from left to right. An override that leaked out of
    // the data would reverse what follows it ("Resource ((2) (service").
    const header = sandbox.byTestId(testIds.tracePage.header).getByRole('heading');
    const resource = details.locator('h5', { hasText: 'Resource' });
    const event = details.getByTestId(ids.event).filter({ hasText: RLO_EVENT });
    const lines = [
      { line: header, texts: [RLO_SERVICE, 'GET /search'] },
      { line: resource, texts: ['Resource (', RLO_SERVICE, ')'] },
      { line: event.locator('div').first(), texts: [RLO_EVENT, 'at +'] },
    ];
    for (const { line, texts } of lines) {
      const boxes = await line.evaluate((el, needles) => {
        // The box of the first text node range holding each needle.
        return needles.map((needle) => {
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = (node as Text).data.indexOf(needle);
            if (at >= 0) {
              const range = document.createRange();
              range.setStart(node, at);
              range.setEnd(node, at + needle.length);
              const box = range.getBoundingClientRect();
              return { left: box.left, right: box.right, top: box.top };
            }
          }
          return null;
        });
      }, texts);
      for (let i = 0; i < texts.length; i++) {
        expect(boxes[i], `"${texts[i]}" is on the page`).not.toBeNull();
      }
      for (let i = 1; i < texts.length; i++) {
        expect(boxes[i]!.top, `"${texts[i]}" on the line of "${texts[i - 1]}"`).toBeCloseTo(boxes[i - 1]!.top, -1);
        expect(boxes[i]!.left, `"${texts[i]}" to the right of "${texts[i - 1]}"`).toBeGreaterThanOrEqual(
          boxes[i - 1]!.right - 1
        );
      }
    }

    // The attribute key and value stay in their own cells, and the spoofed link says where it really goes.
    await expect(sandbox.byTestId(ids.attribute('span', RLO_KEY))).toContainText(RLO_VALUE);
    const spoofed = sandbox.byTestId(ids.attribute('span', 'spoofed.url'));
    await expect(spoofed.locator('a')).toHaveAttribute('href', 'https://evil.example/');
    await expect(spoofed).toContainText(`${SPOOFED_URL} (evil.example)`);
    await sandbox.screenshot('waterfall-bidi');
    await details.getByRole('heading', { name: /^Resource/ }).scrollIntoViewIfNeeded();
    await sandbox.screenshot('waterfall-bidi-attributes');
  });

  test('a link to another trace opens it on the trace page, at the linked span', async ({ sandbox, page }) => {
    const linked = '000000000000000000000000000000ff';
    await serveTrace(page, PAYLOAD_TRACE_ID, JSON.stringify(payloadTrace()));
    await serveTrace(
      page,
      linked,
      JSON.stringify(
        tempoV2(linked, [
          { id: '00000000000000f0', name: 'upstream', service: 'gateway', startMs: 0, durationMs: 20 },
          {
            id: '00000000000000ff',
            parent: '00000000000000f0',
            name: 'linked',
            service: 'core',
            startMs: 5,
            durationMs: 5,
          },
        ])
      )
    );
    await sandbox.goto(`${APP}/trace/${PAYLOAD_TRACE_ID}`);
    await sandbox.byTestId(ids.row('00000000000000a1')).click();
    await sandbox.byTestId(ids.link).click();
    await expect(page).toHaveURL(new RegExp(`${APP}/trace/${linked}\\?span=00000000000000ff`));
    await expect(sandbox.byTestId(testIds.tracePage.traceId)).toHaveText(linked);
    await expect(sandbox.byTestId(ids.row('00000000000000ff'))).toHaveAttribute('aria-selected', 'true');
    await expect(sandbox.byTestId(ids.details)).toContainText('linked');
  });

  test('stays usable on a 100,000-span trace', async ({ sandbox, page }) => {
    test.setTimeout(120_000);
    await serveTrace(page, BIG_TRACE_ID, JSON.stringify(generateTrace(100_000)));
    await sandbox.goto(`${APP}/trace/${BIG_TRACE_ID}`);
    await expect(sandbox.byTestId(testIds.tracePage.fact('Spans'))).toHaveText('100,000', { timeout: 30_000 });
    await expect(sandbox.byTestId(ids.header)).toContainText('100,000 of 100,000 spans');
    // virtualised: only a screenful of rows exists
    expect(await rows(page).count()).toBeLessThan(100);
    await sandbox.screenshot('waterfall-100k');

    await sandbox.byTestId(ids.list).evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expect(sandbox.byTestId(ids.row('0000000000000001'))).toHaveCount(0);
    expect(await rows(page).count()).toBeGreaterThan(10);
    await sandbox.byTestId(ids.collapseAll).click();
    await expect(rows(page)).toHaveCount(1);
    await sandbox.byTestId(ids.expandAll).click();
    await expect(sandbox.byTestId(ids.header)).toContainText('100,000 of 100,000 spans');
  });
});

test.describe('waterfall panel', () => {
  test('draws the trace frame of its data', async ({ sandbox, page }) => {
    await sandbox.goto('/panel/waterfall?data=small-trace');
    await expect(rows(page)).toHaveCount(3);
    await expect(sandbox.byTestId(testIds.waterfallPanel.container)).toContainText('SELECT project');
    await sandbox.screenshot('waterfall-panel');
  });

  test('reads a full Tempo trace frame, events included', async ({ sandbox, page }) => {
    await sandbox.goto('/panel/waterfall?data=error-trace');
    await expect(rows(page)).toHaveCount(8);
    await expect(sandbox.byTestId(ids.errorMark).first()).toBeVisible();
    const withEvent = page.getByRole('treeitem').filter({ hasText: 'GET /api/v2.0/projects/boom' }).last();
    await withEvent.click();
    await expect(sandbox.byTestId(ids.details)).toBeVisible();
    await sandbox.screenshot('waterfall-panel-error');
  });
});
