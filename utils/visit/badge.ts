/**
 * The toolbar badge of a tab: the merchant's rate in short form (`4,5%`, `15€`) with the full
 * offer in the title; nothing elsewhere.
 */
import { browser } from 'wxt/browser';
import type { StoredMerchant } from '../merchants/list';
import { config } from '../config';
import { t } from '../format/i18n';
import { messagesLocale } from '../format/locale';
import { badgeText, offerText } from '../format/money';

/**
 * Whether a tab's badge must be set again: on a merchant's page, or when the page before was one
 * (its badge is still up). From one page that is no merchant's to another, the badge is already
 * blank: no call to the browser, which is most of browsing. A tab without a page before (new, or
 * the extension just started) has no badge of ours either.
 */
export function badgeChanges(
  previousMerchantId: string | null,
  merchant: Pick<StoredMerchant, 'id'> | null,
): boolean {
  return merchant !== null || previousMerchantId !== null;
}

export async function showBadge(tabId: number, merchant: StoredMerchant | null): Promise<void> {
  // Figures in the language of the words around them (format/locale.ts).
  const locale = messagesLocale(t);
  try {
    if (!merchant) {
      await Promise.all([
        browser.action.setBadgeText({ tabId, text: '' }),
        browser.action.setTitle({ tabId, title: config.brand.name }),
      ]);
      return;
    }
    await Promise.all([
      browser.action.setBadgeText({ tabId, text: badgeText(merchant.cashback, locale) }),
      browser.action.setBadgeBackgroundColor({ tabId, color: config.brand.primaryColor }),
      browser.action.setTitle({
        tabId,
        title: t('badge_title', [
          config.brand.name,
          merchant.name,
          offerText(merchant.cashback, locale, t),
        ]),
      }),
    ]);
  } catch {
    // The tab was closed in the meantime.
  }
}
