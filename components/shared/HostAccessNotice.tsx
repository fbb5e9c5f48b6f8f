/**
 * What the member sees when they took the extension's host access back (utils/platform/host-access.ts):
 * what no longer works, and one button that asks the browser to give it back.
 */
import { useEffect, useId, useState } from 'preact/hooks';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import {
  hasAllSitesAccess,
  onHostAccessChange,
  requestAllSitesAccess,
} from '../../utils/platform/host-access';

/** Host access to all sites: null until known (or when the browser cannot tell). */
export function useAllSitesAccess(): boolean | null {
  const [granted, setGranted] = useState<boolean | null>(null);
  useEffect(() => {
    const check = () => hasAllSitesAccess().then(setGranted, () => setGranted(null));
    void check();
    // Also when the member changes it in the browser's menu while this page is open.
    return onHostAccessChange(() => void check());
  }, []);
  return granted;
}

export function HostAccessNotice(props: {
  /** The site the member is on, when the access to it is what is missing. */
  hostname: string | null;
  onGranted?(): void;
}) {
  const [refused, setRefused] = useState(false);
  const textId = useId();

  const grant = () => {
    // The browser grants a permission only during the member's click: the request comes first.
    requestAllSitesAccess().then(
      (granted) => {
        setRefused(!granted);
        if (granted) props.onGranted?.();
      },
      () => setRefused(true),
    );
  };

  return (
    <div class="notice notice-warning host-access">
      <p id={textId}>
        {props.hostname
          ? t('host_access_missing_site', [props.hostname, config.brand.name])
          : t('host_access_missing_all', [config.brand.name])}
      </p>
      <p class="host-access-why">{t('host_access_why')}</p>
      <button type="button" class="button" aria-describedby={textId} onClick={grant}>
        {t('host_access_grant')}
      </button>
      <p role="status">{refused && t('host_access_refused')}</p>
    </div>
  );
}
