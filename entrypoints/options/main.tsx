import '../../components/shared/theme.css';
import '../../components/options/options.css';
import { render } from 'preact';
import { Options } from '../../components/options/Options';
import { DISCLOSURE_ID } from '../../components/shared/Disclosure';
import { preparePage } from '../../components/shared/page';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';

preparePage(t('options_title', [config.brand.name]));
render(<Options />, document.getElementById('app')!);

// The page is drawn after the browser looked for the #disclosure anchor: go there now.
if (location.hash === `#${DISCLOSURE_ID}`) {
  const heading = document.getElementById(DISCLOSURE_ID);
  heading?.scrollIntoView();
  heading?.focus({ preventScroll: true });
}
