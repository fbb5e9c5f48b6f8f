/**
 * The results pages' script is registered at run time (`scripting.registerContentScripts`),
 * only while the member's setting is on: turned off, the script is unregistered and no search
 * page receives any extension code. Registered scripts persist across browser sessions; the
 * worker still checks the registration at every start (install, update, browser start, a woken
 * worker), so that an update that changed the patterns or the file, or a browser that dropped
 * the registration, is put right.
 */
import { browser } from 'wxt/browser';
import { config } from '../config';
import { searchMatchPatterns } from './engines';

/** An unlisted script (entrypoints/search-marks.ts): in no manifest, not web-accessible. */
export const SEARCH_MARKS_SCRIPT_ID = 'ristourne-search-marks';
export const SEARCH_MARKS_FILE = 'search-marks.js';

export interface ContentScriptRegistration {
  id: string;
  js?: readonly string[];
  matches?: readonly string[];
  runAt?: string;
  allFrames?: boolean;
  persistAcrossSessions?: boolean;
}

/** The registration the extension wants (the brand's Google domains: utils/build/config.ts). */
export function searchMarksRegistration(
  googleDomains: readonly string[] = config.search.googleDomains,
) {
  return {
    id: SEARCH_MARKS_SCRIPT_ID,
    js: [SEARCH_MARKS_FILE],
    matches: searchMatchPatterns(googleDomains),
    // From the first parsed result on (the observer sees the parser add them): the marks come
    // with the page's first frames instead of after its DOMContentLoaded.
    runAt: 'document_start' as const,
    allFrames: false,
    persistAcrossSessions: true,
  } satisfies ContentScriptRegistration;
}

export type RegistrationChange = 'register' | 'update' | 'unregister' | 'none';

/** What to do to get from the registration in place to the one wanted (null: none wanted). */
export function registrationChange(
  current: ContentScriptRegistration | undefined,
  wanted: ContentScriptRegistration | null,
): RegistrationChange {
  if (!wanted) return current ? 'unregister' : 'none';
  if (!current) return 'register';
  const same = (a: readonly string[] = [], b: readonly string[] = []) =>
    a.length === b.length && [...a].sort().every((item, i) => item === [...b].sort()[i]);
  const unchanged =
    same(
      current.js?.map((file) => file.replace(/^\//, '')),
      wanted.js,
    ) &&
    same(current.matches, wanted.matches) &&
    current.runAt === wanted.runAt &&
    (current.allFrames ?? false) === wanted.allFrames;
  return unchanged ? 'none' : 'update';
}

let queue: Promise<unknown> = Promise.resolve();

/**
 * Registers, updates or unregisters the script to follow the setting. One change at a time:
 * two quick toggles in the options page end in the state of the last one.
 */
export function syncSearchMarksScript(enabled: boolean): Promise<RegistrationChange> {
  const run = queue.then(async () => {
    const [current] = await browser.scripting.getRegisteredContentScripts({
      ids: [SEARCH_MARKS_SCRIPT_ID],
    });
    const wanted = enabled ? searchMarksRegistration() : null;
    const change = registrationChange(current, wanted);
    if (change === 'unregister' || change === 'update') {
      await browser.scripting.unregisterContentScripts({ ids: [SEARCH_MARKS_SCRIPT_ID] });
    }
    if (wanted && (change === 'register' || change === 'update')) {
      await browser.scripting.registerContentScripts([wanted]);
    }
    return change;
  });
  queue = run.catch(() => undefined);
  return run;
}
