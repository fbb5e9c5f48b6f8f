/**
 * The affiliate and privacy disclosure in plain language, as the stores require it in the
 * extension's own UI: how the portal earns money, what stays on the device, what is sent and
 * when. Shown in full on the options and first-run pages; the popup links to it.
 */
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';

export const DISCLOSURE_ID = 'disclosure';

export function Disclosure() {
  const brand = config.brand.name;
  return (
    <section class="disclosure" aria-labelledby={DISCLOSURE_ID}>
      {/* Focusable so that a link to #disclosure can move the focus, not just the view. */}
      <h2 id={DISCLOSURE_ID} tabIndex={-1}>
        {t('common_disclosure_heading')}
      </h2>
      <h3>{t('common_disclosure_model_heading', [brand])}</h3>
      <p>{t('common_disclosure_model', [brand])}</p>
      <p>{t('common_disclosure_click')}</p>
      <h3>{t('common_disclosure_stored_heading')}</h3>
      <p>{t('common_disclosure_stored')}</p>
      <p>{t('common_disclosure_search', [brand])}</p>
      <h3>{t('common_disclosure_sent_heading', [brand])}</h3>
      <ul>
        <li>{t('common_disclosure_sent_list')}</li>
        <li>{t('common_disclosure_sent_sign_in')}</li>
        <li>{t('common_disclosure_sent_cagnotte', [brand])}</li>
        <li>{t('common_disclosure_sent_click')}</li>
      </ul>
      <p>{t('common_disclosure_nothing')}</p>
      <p>{t('common_disclosure_sign_out')}</p>
    </section>
  );
}
