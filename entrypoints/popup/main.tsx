import '../../components/shared/theme.css';
import '../../components/popup/popup.css';
import { render } from 'preact';
import { browser } from 'wxt/browser';
import { Popup } from '../../components/popup/Popup';
import { preparePage } from '../../components/shared/page';
import { config } from '../../utils/config';

/**
 * The tab whose offer to show. A `?tabId=N` parameter wins: the banner opens the popup as a
 * tab to sign in, and the end-to-end tests open it as a tab, so the active tab is the popup.
 */
async function targetTabId(params: URLSearchParams): Promise<number | null> {
  const named = Number(params.get('tabId') ?? NaN);
  if (Number.isInteger(named) && named >= 0) return named;
  const [active] = await browser.tabs.query({ active: true, currentWindow: true });
  return active?.id ?? null;
}

const params = new URLSearchParams(location.search);
preparePage(config.brand.name);
void targetTabId(params)
  .catch(() => null)
  .then((tabId) =>
    render(
      <Popup tabId={tabId} signInFirst={params.get('signin') === '1'} />,
      document.getElementById('app')!,
    ),
  );
