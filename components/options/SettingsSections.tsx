/** Reminders (on/off, cart and checkout only), the search results' marks and notifications. */
import { useId } from 'preact/hooks';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import type { Settings } from '../../utils/protocol/messages';
import { useSettings } from './use-settings';

function Checkbox(props: {
  label: string;
  checked: boolean;
  disabled?: boolean;
  describedBy?: string;
  onChange(checked: boolean): void;
}) {
  const id = useId();
  return (
    <div class="check">
      <input
        id={id}
        type="checkbox"
        checked={props.checked}
        disabled={props.disabled}
        aria-describedby={props.describedBy}
        onChange={(event) => props.onChange(event.currentTarget.checked)}
      />
      <label for={id}>{props.label}</label>
    </div>
  );
}

export function SettingsSections() {
  const { settings, loadFailed, save, update } = useSettings();
  const hintId = useId();
  const searchHintId = useId();
  const set = (patch: Partial<Settings>) => void update(patch);

  if (loadFailed) {
    return (
      <section aria-labelledby="reminders-heading">
        <h2 id="reminders-heading">{t('options_reminders_heading')}</h2>
        <p class="notice notice-error">{t('options_load_failed')}</p>
      </section>
    );
  }

  return (
    <>
      <section aria-labelledby="reminders-heading">
        <h2 id="reminders-heading">{t('options_reminders_heading')}</h2>
        {settings && (
          <>
            <Checkbox
              label={t('options_reminders_label')}
              checked={settings.reminders}
              describedBy={hintId}
              onChange={(reminders) => set({ reminders })}
            />
            <Checkbox
              label={t('options_checkout_only_label')}
              checked={settings.checkoutOnly}
              // Only meaningful while reminders are on; kept as is for when they come back.
              disabled={!settings.reminders}
              onChange={(checkoutOnly) => set({ checkoutOnly })}
            />
            <p id={hintId} class="muted">
              {t('options_reminders_hint', [config.brand.name])}
            </p>
          </>
        )}
      </section>
      <section aria-labelledby="search-heading">
        <h2 id="search-heading">{t('options_search_heading')}</h2>
        {settings && (
          <>
            <Checkbox
              label={t('options_search_label')}
              checked={settings.searchMarks}
              describedBy={searchHintId}
              onChange={(searchMarks) => set({ searchMarks })}
            />
            {/* What the feature reads, said where it is turned on and off. */}
            <p id={searchHintId} class="muted">
              {t('options_search_hint', [config.brand.name])}
            </p>
          </>
        )}
      </section>
      <section aria-labelledby="notifications-heading">
        <h2 id="notifications-heading">{t('options_notifications_heading')}</h2>
        {settings && (
          <Checkbox
            label={t('options_notifications_label')}
            checked={settings.notifications}
            onChange={(notifications) => set({ notifications })}
          />
        )}
      </section>
      {/* One status line for every setting, pinned where it is seen whichever was changed. */}
      <p class={`toast toast-${save}`} role="status">
        {save === 'saved' && t('options_saved')}
        {save === 'failed' && t('options_save_failed')}
      </p>
    </>
  );
}
