import { expect, test, testIds } from './fixtures';

const APP = '/a/traceway-explorer-app';

test.describe('app pages', () => {
  test('search page loads and opens a trace by ID', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/search`);
    await expect(sandbox.byTestId(testIds.searchPage.container)).toBeVisible();
    await sandbox.expectThemeApplied();
    await sandbox.screenshot('search');

    const input = sandbox.byTestId(testIds.searchPage.traceIdInput);
    await input.fill('not-hex');
    await expect(
      sandbox.page.getByText('A trace ID is hexadecimal (0-9, a-f); "not-hex" has "n" at position 1.')
    ).toBeVisible();
    await expect(sandbox.byTestId(testIds.searchPage.openTrace)).toBeDisabled();

    await input.fill('4BF92F3577B34DA6A3CE929D0E0E4736');
    await sandbox.byTestId(testIds.searchPage.openTrace).click();
    await expect(sandbox.page).toHaveURL(new RegExp(`${APP}/trace/4bf92f3577b34da6a3ce929d0e0e4736`));
    await expect(sandbox.byTestId(testIds.tracePage.traceId)).toHaveText('4bf92f3577b34da6a3ce929d0e0e4736');
  });

  test('trace page loads from a deep link', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/trace/00f067aa0ba902b7`);
    await expect(sandbox.byTestId(testIds.tracePage.container)).toBeVisible();
    await expect(sandbox.byTestId(testIds.tracePage.traceId)).toHaveText('00f067aa0ba902b7');
    await sandbox.screenshot('trace');
  });

  test('service map page loads', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/service-map`);
    await expect(sandbox.byTestId(testIds.serviceMapPage.container)).toBeVisible();
    await sandbox.expectThemeApplied();
    await sandbox.screenshot('service-map');
  });

  test('the app root and unknown app paths land on search', async ({ sandbox }) => {
    for (const path of [APP, `${APP}/no-such-page`]) {
      await sandbox.goto(path);
      await expect(sandbox.byTestId(testIds.searchPage.container)).toBeVisible();
    }
  });

  test('sidebar navigation moves between pages without a reload', async ({ sandbox }) => {
    await sandbox.goto(`${APP}/search`);
    await sandbox.page.evaluate(() => ((window as any).__marker = 'same-document'));
    await sandbox.page.getByRole('link', { name: 'Service map', exact: true }).click();
    await expect(sandbox.byTestId(testIds.serviceMapPage.container)).toBeVisible();
    await sandbox.page.getByRole('link', { name: 'Search', exact: true }).click();
    await expect(sandbox.byTestId(testIds.searchPage.container)).toBeVisible();
    expect(await sandbox.page.evaluate(() => (window as any).__marker)).toBe('same-document');
  });
});

test.describe('configuration page', () => {
  test('loads with the provisioned settings', async ({ sandbox }) => {
    await sandbox.goto('/plugins/traceway-explorer-app');
    await expect(sandbox.byTestId(testIds.appConfig.container)).toBeVisible();
    await expect(sandbox.byTestId(testIds.appConfig.field('tempoDatasourceUid'))).toHaveValue('tempo');
    await sandbox.expectThemeApplied();
    await sandbox.screenshot('configuration');
  });

  test('validates URLs and saves settings, keeping secrets write-only', async ({ sandbox, page, theme }) => {
    // The sandbox holds one copy of the settings, like one Grafana: save from one project only.
    test.skip(theme !== 'dark', 'settings are shared sandbox state');
    await sandbox.goto('/plugins/traceway-explorer-app');
    const tempoUrl = sandbox.byTestId(testIds.appConfig.field('tempoUrl'));
    await tempoUrl.fill('ftp://tempo:3200');
    await expect(page.getByText('Only http and https URLs are allowed, not ftp:')).toBeVisible();
    await expect(sandbox.byTestId(testIds.appConfig.submit)).toBeDisabled();

    const url = `http://tempo-${Date.now()}.example:3200`;
    await tempoUrl.fill(url);
    const secret = sandbox.byTestId(testIds.appConfig.field('tempoAuthorization'));
    if (await secret.isDisabled()) {
      // Left configured by an earlier run against a reused sandbox.
      await page.getByRole('button', { name: 'Reset' }).first().click();
    }
    await secret.fill('Bearer s3cret');
    await Promise.all([page.waitForEvent('load'), sandbox.byTestId(testIds.appConfig.submit).click()]);
    await page.waitForFunction(() => (window as any).__traceway_sandbox__?.ready === true);

    await expect(sandbox.byTestId(testIds.appConfig.field('tempoUrl'))).toHaveValue(url);
    await expect(sandbox.byTestId(testIds.appConfig.field('tempoAuthorization'))).toHaveValue('configured');
    const settings = await page.request.get('/api/plugins/traceway-explorer-app/settings');
    const body = await settings.text();
    expect(body).not.toContain('s3cret');
    expect(JSON.parse(body).secureJsonFields).toEqual({ tempoAuthorization: true });
  });
});
