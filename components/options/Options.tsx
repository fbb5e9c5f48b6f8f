/** The options page: settings, hidden sites, the merchant list, the account, the disclosure. */
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import { Disclosure } from '../shared/Disclosure';
import { AccountSection } from './AccountSection';
import { ActivationHistory } from './ActivationHistory';
import { HostAccessSection } from './HostAccessSection';
import { MerchantListStatus } from './MerchantListStatus';
import { MutedSites } from './MutedSites';
import { SettingsSections } from './SettingsSections';

export function Options() {
  return (
    <>
      <header class="page-header">
        <h1>{t('options_title', [config.brand.name])}</h1>
      </header>
      <main class="page">
        <HostAccessSection />
        <SettingsSections />
        <MutedSites />
        <MerchantListStatus />
        <AccountSection />
        <ActivationHistory />
        <Disclosure />
      </main>
    </>
  );
}
