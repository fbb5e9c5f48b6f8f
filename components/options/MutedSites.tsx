/** Sites where the member hid the banner, each with "Réafficher". */
import { useEffect, useRef, useState } from 'preact/hooks';
import { config } from '../../utils/config';
import { formatDate } from '../../utils/format/dates';
import { t } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';
import type { MutedSiteView } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';

export function MutedSites() {
  const [sites, setSites] = useState<MutedSiteView[] | 'failed' | null>(null);
  const [announcement, setAnnouncement] = useState('');
  const headingRef = useRef<HTMLHeadingElement>(null);
  const locale = messagesLocale(t);

  useEffect(() => {
    sendToBackground('muted:list', {}).then(setSites, () => setSites('failed'));
  }, []);

  async function unmute(site: MutedSiteView) {
    try {
      setSites(await sendToBackground('muted:unmute', { merchantId: site.merchantId }));
      setAnnouncement(t('options_unmuted', [site.name]));
    } catch {
      setAnnouncement(t('options_save_failed'));
    }
    // The button just pressed is gone: keep the focus in the section.
    headingRef.current?.focus();
  }

  return (
    <section aria-labelledby="muted-heading">
      <h2 id="muted-heading" ref={headingRef} tabIndex={-1}>
        {t('options_muted_heading')}
      </h2>
      <p class="muted">{t('options_muted_intro', [config.brand.name])}</p>
      {sites === 'failed' && <p class="notice notice-error">{t('options_load_failed')}</p>}
      {Array.isArray(sites) && sites.length === 0 && <p>{t('options_muted_empty')}</p>}
      {Array.isArray(sites) && sites.length > 0 && (
        <ul class="muted-sites" aria-labelledby="muted-heading">
          {sites.map((site) => (
            <li key={site.merchantId}>
              <span>
                <strong>{site.name}</strong>{' '}
                <span class="muted">
                  {t('options_muted_since', [formatDate(site.mutedAt, locale)])}
                </span>
              </span>
              <button
                type="button"
                class="button button-secondary"
                aria-label={t('options_unmute_label', [site.name])}
                onClick={() => void unmute(site)}
              >
                {t('options_unmute')}
              </button>
            </li>
          ))}
        </ul>
      )}
      <p role="status" class="muted">
        {announcement}
      </p>
    </section>
  );
}
