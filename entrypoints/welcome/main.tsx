import '../../components/shared/theme.css';
import '../../components/welcome/welcome.css';
import { render } from 'preact';
import { preparePage } from '../../components/shared/page';
import { Welcome } from '../../components/welcome/Welcome';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';

preparePage(t('welcome_title', [config.brand.name]));
render(<Welcome />, document.getElementById('app')!);
