import type { BuildConfig } from './build/config';

declare const __BUILD_CONFIG__: BuildConfig;

/** The build-time configuration, inlined by the bundler (see utils/build/config.ts). */
export const config: BuildConfig = __BUILD_CONFIG__;
