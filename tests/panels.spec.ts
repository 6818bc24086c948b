import { expect, test, testIds } from './fixtures';

test.describe('panels', () => {
  test('waterfall panel shows its no-data state without data', async ({ sandbox }) => {
    await sandbox.goto('/panel/waterfall');
    const panel = sandbox.byTestId(testIds.waterfallPanel.container);
    await expect(panel).toBeVisible();
    await expect(panel).toContainText("No trace in this panel's data");
    await sandbox.expectThemeApplied();
    await sandbox.screenshot('waterfall-panel-no-data');
  });

  test('waterfall panel finds the trace frame in its data', async ({ sandbox }) => {
    await sandbox.goto('/panel/waterfall?data=small-trace');
    await expect(sandbox.page.getByRole('treeitem')).toHaveCount(3);
    await sandbox.screenshot('waterfall-panel-small-trace');
  });

  test('service map panel shows its no-data state without data', async ({ sandbox }) => {
    await sandbox.goto('/panel/servicemap');
    const panel = sandbox.byTestId(testIds.serviceMapPanel.container);
    await expect(panel).toBeVisible();
    await expect(panel).toContainText("No service graph in this panel's data");
    await sandbox.expectThemeApplied();
    await sandbox.screenshot('servicemap-panel-no-data');
  });

  test('service map panel finds node-graph frames in its data', async ({ sandbox }) => {
    await sandbox.goto('/panel/servicemap?data=small-service-graph');
    // The panel draws the map now; its summary counts what the frames held.
    await expect(sandbox.byTestId(testIds.serviceMap.summary)).toContainText('3 services, 2 calls');
    await sandbox.screenshot('servicemap-panel-small-graph');
  });
});
