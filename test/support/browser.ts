import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => !!p);

export const chromiumPath = candidates.find((p) => existsSync(p));

/** In CI a missing browser is a failure; on a developer's machine the e2e tests are skipped with a message. */
export const hasBrowser = (() => {
  if (chromiumPath) return true;
  if (process.env.CI) throw new Error(`CI=true but no Chromium at ${candidates.join(', ')}: install it (apt-get install -y chromium)`);
  console.warn('e2e tests skipped: no Chromium found (apt-get install -y chromium)');
  return false;
})();

export async function launchBrowser(): Promise<Browser> {
  if (!chromiumPath) throw new Error('no Chromium');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** Logs in through the login form, as a person would, and waits for the projects list. */
export async function logInInBrowser(page: Page, baseUrl: string, username: string, password: string): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL('**/projects');
}

/** Elements wider than the window, for a failure message that says where to look. */
export async function overflowing(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 1 && !el.closest('.table-scroll, pre'))
      .slice(0, 8)
      .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join('.')} right=${Math.round(el.getBoundingClientRect().right)}`);
  });
}
