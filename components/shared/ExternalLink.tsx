import type { ComponentChildren } from 'preact';
import { t } from '../../utils/format/i18n';

/** A link that opens a new tab, and says so to screen readers. */
export function ExternalLink(props: { href: string; class?: string; children: ComponentChildren }) {
  return (
    <a href={props.href} class={props.class} target="_blank" rel="noopener noreferrer">
      {props.children}
      <span class="visually-hidden"> {t('common_opens_in_new_tab')}</span>
    </a>
  );
}
