/** The banner's stylesheet with the brand's colours (validated hex values from the build config). */
import type { BuildConfig } from '../../utils/build/config';
import css from './banner.css?inline';

export function bannerCss(brand: BuildConfig['brand']): string {
  return `.card{--r-primary:${brand.primaryColor};--r-on-primary:${brand.onPrimaryColor}}${css}`;
}
