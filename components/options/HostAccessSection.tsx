/** At the top of the options page while the member withholds host access to some sites. */
import { t } from '../../utils/format/i18n';
import { HostAccessNotice, useAllSitesAccess } from '../shared/HostAccessNotice';

export function HostAccessSection() {
  const allSites = useAllSitesAccess();
  if (allSites !== false) return null;
  return (
    <section aria-labelledby="host-access-heading">
      <h2 id="host-access-heading">{t('options_host_access_heading')}</h2>
      <HostAccessNotice hostname={null} />
    </section>
  );
}
