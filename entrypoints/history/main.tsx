import '../../components/shared/theme.css';
import '../../components/history/history.css';
import { render } from 'preact';
import { History } from '../../components/history/History';
import { preparePage } from '../../components/shared/page';
import { config } from '../../utils/config';
import { t } from '../../utils/format/i18n';

preparePage(t('history_title', [config.brand.name]));
render(<History />, document.getElementById('app')!);
