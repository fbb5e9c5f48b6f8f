import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_MERCHANTS } from '../../portal/demo/demo-merchants';
import { badgeText, openBackgroundChannel } from '../../scripts/harness/browser-state';
import { expect, launchBrowser, test } from './fixtures';
import { BannerPart } from '../../scripts/harness/pages/banner';
import { ShopPage } from '../../scripts/harness/pages/shop';

interface FaultsAnswer {
  api: string | null;
  stats: { downloads: number; notModified: number };
}

test('a portal outage keeps matching on the last list, quietly', async ({
  context,
  portal,
  serviceWorker,
  extension,
}) => {
  await portal.admin('/faults', {
    method: 'PUT',
    body: JSON.stringify({ api: 'unavailable' }),
    headers: { 'Content-Type': 'application/json' },
  });
  const status = await extension.call('sync:now');
  expect(status.lastError).not.toBeNull();
  expect(status.merchantCount).toBe(DEMO_MERCHANTS.length);

  const page = await context.newPage();
  await ShopPage.on(page, 'numeria', portal.port).openProduct(2);
  await new BannerPart(page).expectText('Numéria');
  await expect.poll(() => badgeText(serviceWorker, page)).toBe('2,5%');
});

test('a relaunch of the browser with an unchanged list does not download it again', async ({
  portal,
}) => {
  const profile = await mkdtemp(join(tmpdir(), 'ristourne-relaunch-'));
  try {
    let context = await launchBrowser(profile, portal.port);
    let worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    const channel = await openBackgroundChannel(context, new URL(worker.url()).host);
    await channel.untilMerchantListSynced();
    await context.close();
    const before = await portal.admin<FaultsAnswer>('/faults');
    expect(before.stats.downloads).toBe(1);

    context = await launchBrowser(profile, portal.port);
    worker = context.serviceWorkers()[0] ?? (await context.waitForEvent('serviceworker'));
    // The first page of a browser start can commit before the extension has loaded (Chrome
    // loads extensions asynchronously): browse once the worker answers.
    const relaunched = await openBackgroundChannel(context, new URL(worker.url()).host);
    expect((await relaunched.call('sync:status')).merchantCount).toBe(DEMO_MERCHANTS.length);
    await relaunched.close();
    const page = await context.newPage();
    await ShopPage.on(page, 'atelier-vendome', portal.port).openProduct(1);
    await expect.poll(() => badgeText(worker, page)).toBe('6,5%');
    await new BannerPart(page).expectShown();
    const after = await portal.admin<FaultsAnswer>('/faults');
    expect(after.stats.downloads).toBe(1);
    await context.close();
  } finally {
    await rm(profile, { recursive: true, force: true });
  }
});
