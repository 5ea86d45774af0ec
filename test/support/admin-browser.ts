import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchBrowser, logInInBrowser } from './browser.ts';
import { startProduct, type Product } from './product.ts';
import { ApiClient } from './test-server.ts';
import { repoRoot } from '../../server/paths.ts';

export const screenshots = join(repoRoot, 'test', 'screenshots');
const adminPassword = 'admin-password-1';

export type AdminBrowser = { product: Product; admin: ApiClient; browser: Browser; page: Page; stop: () => Promise<void> };

/**
 * What a lead's e2e file starts from: a product without the demo, the admin's API client, and a desktop page logged
 * in as the admin through the form.
 */
export async function startAdminBrowser(): Promise<AdminBrowser> {
  mkdirSync(screenshots, { recursive: true });
  const product = await startProduct({ PODIUM_ADMIN_PASSWORD: adminPassword, PODIUM_DEMO: '0' });
  const admin = new ApiClient(product.url);
  await admin.login('admin', adminPassword);
  const browser = await launchBrowser();
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  page.setDefaultTimeout(20_000);
  await logInInBrowser(page, product.url, 'admin', adminPassword);
  return {
    product,
    admin,
    browser,
    page,
    stop: async () => {
      await browser.close();
      await product.stop();
    },
  };
}
