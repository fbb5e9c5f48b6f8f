/**
 * What every extension page does before rendering: the language of its messages on <html>
 * (screen readers pick their voice from it), its title, and the brand colours.
 */
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';
import { messagesLocale } from '../../utils/format/locale';

export function preparePage(title: string): void {
  const root = document.documentElement;
  root.lang = messagesLocale(t);
  root.style.setProperty('--brand', config.brand.primaryColor);
  root.style.setProperty('--on-brand', config.brand.onPrimaryColor);
  document.title = title;
}
