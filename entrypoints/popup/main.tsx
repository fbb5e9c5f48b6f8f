import { render } from 'preact';
import { config } from '../../utils/config';

render(<main>{config.brand.name}</main>, document.getElementById('app')!);
