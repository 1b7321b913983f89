import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { existsSync } from 'node:fs';
import type { ErrorFormatName } from 'nest-api-errors';
import { chromium, type Browser, type Page } from 'playwright-core';
import { MATRIX, startSampleApp, type RunningApp } from './support/harness.js';

/**
 * Swagger UI in a real browser: Debian's Chromium, headless, driven by playwright-core (which
 * downloads no browser of its own). `.ci/run` installs it where it is missing; without it this
 * suite fails, saying so, rather than passing unchecked.
 */
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** The screenshot the README shows, taken on Express in the default format. */
const SCREENSHOT = 'docs/swagger-ui-reports.png';

let browser: Browser;

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it (sudo apt-get install chromium, as .ci/run does) ` +
        'or set CHROMIUM_PATH to a Chromium or Chrome binary.',
    );
  }
  // Root (CI containers) cannot start Chromium's sandbox; nothing untrusted is opened here.
  browser = await chromium.launch({ executablePath: CHROMIUM, chromiumSandbox: false });
});
afterAll(() => browser?.close());

/** How each format names the codes of a 401, a plan without the feature and a 429. */
const CODES: Record<ErrorFormatName, [string, string, string]> = {
  flat: ['unauthorized', 'feature_not_entitled', 'rate_limit_exceeded'],
  problem: ['authentication_error', 'feature_not_entitled', 'rate_limit_error'],
  nested: ['INVALID_API_KEY', 'FEATURE_NOT_ENTITLED', 'RATE_LIMIT_EXCEEDED'],
  laravel: ['unauthorized', 'feature_not_entitled', 'rate_limit_exceeded'],
};

describe.each(MATRIX)('Swagger UI at /docs on %s, %s format', (platform, format) => {
  let running: RunningApp;
  let page: Page;

  beforeAll(async () => {
    running = await startSampleApp({ HTTP_PLATFORM: platform, ERROR_FORMAT: format });
    page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  });
  afterAll(async () => {
    await page?.close();
    await running.close();
  });

  it('shows GET /v1/reports with its 401, 403 feature_not_entitled and 429', async () => {
    await page.goto(`${running.url}/docs`);
    const operation = page.locator('.opblock-get', {
      has: page.locator('.opblock-summary-path', { hasText: /^\/v1\/reports$/ }),
    });
    await operation.locator('.opblock-summary').click();
    const responses = operation.locator('.responses-table tr.response');
    await responses.first().waitFor();
    const row = (status: string) => operation.locator(`tr.response[data-code="${status}"]`);
    for (const status of ['200', '401', '403', '429', '500']) {
      await expect(row(status).count()).resolves.toBe(1);
    }
    const [unauthorized, notEntitled, tooMany] = CODES[format];
    await expect(row('401').innerText()).resolves.toContain(unauthorized);
    await expect(row('403').innerText()).resolves.toContain(notEntitled);
    await expect(row('403').innerText()).resolves.toContain('api_access');
    await expect(row('429').innerText()).resolves.toContain(tooMany);
    await expect(row('429').innerText()).resolves.toContain('Retry-After');
    if (platform === 'express' && format === 'flat') {
      // Nothing hovered, focused or moving: the same page gives the same picture.
      await page.mouse.move(0, 0);
      await page.evaluate('document.activeElement?.blur()');
      await operation.screenshot({ path: SCREENSHOT, animations: 'disabled', caret: 'hide' });
    }
  });
});
