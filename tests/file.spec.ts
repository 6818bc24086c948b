import path from 'node:path';
import { expect, test, testIds } from './fixtures';

const APP = '/a/traceway-explorer-app';
const FIXTURES = path.resolve(__dirname, '..', 'fixtures');
const ids = testIds.openTraceFile;

test.describe('open a trace file', () => {
  test('opens a Zipkin file on the file trace page, named, without Explore; a reload says it is gone', async ({
    sandbox,
  }) => {
    await sandbox.goto(`${APP}/trace-file/0123456789abcdef`);
    await expect(sandbox.byTestId(testIds.fileTracePage.missing)).toContainText(
      'This trace was opened from a file and was kept only in the memory of the browser tab'
    );
    await sandbox.screenshot('trace-file-missing');

    await sandbox.byTestId(ids.input).setInputFiles(path.join(FIXTURES, 'zipkin', 'trace-v2.zipkin.json'));
    await expect(sandbox.byTestId(testIds.fileTracePage.fileName)).toHaveText('trace-v2.zipkin.json');
    await expect(sandbox.page).toHaveURL(new RegExp(`${APP}/trace-file/[0-9a-f]{16}$`));
    await expect(sandbox.byTestId(testIds.tracePage.traceId)).toHaveText('5feb30ccfb3cdb0936f11324d886982a');
    await expect(sandbox.byTestId(testIds.tracePage.fact('Spans'))).toHaveText('11');
    await expect(sandbox.byTestId(testIds.tracePage.explore)).toHaveCount(0);
    await expect(sandbox.byTestId(testIds.waterfall.list)).toBeVisible();
    await sandbox.expectThemeApplied();
    await sandbox.screenshot('trace-file');

    await sandbox.page.reload();
    await expect(sandbox.byTestId(testIds.fileTracePage.missing)).toBeVisible();
  });

  test('offers the traces of a JSON Lines file and refuses a file that is no trace', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/trace-file/0123456789abcdef`);
    await sandbox.byTestId(ids.input).setInputFiles({
      name: 'notes.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('hello, this is not a trace\n'),
    });
    await expect(sandbox.byTestId(ids.error)).toContainText('"notes.txt" is not a trace Traceway can read');
    await expect(sandbox.page).toHaveURL(new RegExp(`${APP}/trace-file/0123456789abcdef`));

    await sandbox.byTestId(ids.input).setInputFiles(path.join(FIXTURES, 'otlp-file', 'two-traces.jsonl'));
    await expect(sandbox.byTestId(ids.choices)).toContainText('two-traces.jsonl holds 2 traces');
    await sandbox.screenshot('trace-file-choose');
    await sandbox.byTestId(ids.choice('cc0f27b1800ba01de70dbd56394cd4bc')).click();
    await expect(sandbox.byTestId(testIds.tracePage.fact('Errors'))).toHaveText('4');
  });
});
