/**
 * Finds a Chromium-based browser for the demo and the end-to-end tests:
 * CHROMIUM_PATH first, then the usual places on Linux, macOS and Windows.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const LINUX = [
  // The binary itself: Debian's /usr/bin/chromium is a wrapper script that adds noise.
  '/usr/lib/chromium/chromium',
  '/usr/bin/chromium',
  '/usr/bin/chromium-browser',
  '/snap/bin/chromium',
  '/usr/bin/google-chrome',
  '/usr/bin/google-chrome-stable',
  '/usr/bin/microsoft-edge',
];

const MAC = [
  '/Applications/Chromium.app/Contents/MacOS/Chromium',
  '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
  '/Applications/Microsoft Edge.app/Contents/MacOS/Microsoft Edge',
];

function windowsCandidates(): string[] {
  const roots = [
    process.env.LOCALAPPDATA,
    process.env.PROGRAMFILES,
    process.env['PROGRAMFILES(X86)'],
  ];
  return roots
    .filter((root): root is string => Boolean(root))
    .flatMap((root) => [
      join(root, 'Chromium', 'Application', 'chrome.exe'),
      join(root, 'Google', 'Chrome', 'Application', 'chrome.exe'),
      join(root, 'Microsoft', 'Edge', 'Application', 'msedge.exe'),
    ]);
}

export function findChromium(): string {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) {
    if (!existsSync(fromEnv)) throw new Error(`CHROMIUM_PATH points to nothing: ${fromEnv}`);
    return fromEnv;
  }
  const candidates =
    process.platform === 'darwin'
      ? MAC
      : process.platform === 'win32'
        ? windowsCandidates()
        : LINUX;
  const found = candidates.find((path) => existsSync(path));
  if (!found) {
    throw new Error(
      'No Chromium-based browser found. Install one (Debian: apt-get install chromium) ' +
        'or set CHROMIUM_PATH to its executable.',
    );
  }
  return found;
}

/** Flags that load an unpacked extension into a fresh profile. */
export function extensionArgs(extensionDir: string): string[] {
  // Both are needed: Playwright passes --disable-extensions, which the first one overrides.
  return [`--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`];
}
