/**
 * The member's settings, in `storage.local`. What is read back is validated field by field: a
 * field that is missing or of the wrong type (an older version, a hand edit) falls back to its
 * default without losing the others.
 */
import { storage } from 'wxt/utils/storage';
import { z } from 'zod';
import { SettingsSchema, type BackgroundProtocol, type Settings } from '../protocol/messages';

export const DEFAULT_SETTINGS: Readonly<Settings> = {
  reminders: true,
  checkoutOnly: false,
  notifications: true,
  // On from the install, and said so on the welcome page, the options page and the store
  // listing: it reads only the results' links and sends nothing (docs/search-marks.md).
  searchMarks: true,
};

/** The protocol's settings, each field falling back to its default on its own. */
const StoredSettingsSchema = z.object({
  reminders: SettingsSchema.shape.reminders.catch(DEFAULT_SETTINGS.reminders),
  checkoutOnly: SettingsSchema.shape.checkoutOnly.catch(DEFAULT_SETTINGS.checkoutOnly),
  notifications: SettingsSchema.shape.notifications.catch(DEFAULT_SETTINGS.notifications),
  searchMarks: SettingsSchema.shape.searchMarks.catch(DEFAULT_SETTINGS.searchMarks),
});

const settingsItem = storage.defineItem<Settings>('local:settings', {
  fallback: { ...DEFAULT_SETTINGS },
  version: 1,
});

export function parseSettings(raw: unknown): Settings {
  const parsed = StoredSettingsSchema.safeParse(raw);
  return parsed.success ? parsed.data : { ...DEFAULT_SETTINGS };
}

export async function getSettings(): Promise<Settings> {
  return parseSettings(await settingsItem.getValue());
}

// Writes are read-modify-write: two quick toggles must not lose one another.
let writes: Promise<unknown> = Promise.resolve();

export function setSettings(patch: Partial<Settings>): Promise<Settings> {
  const write = writes.then(async () => {
    const next: Settings = { ...(await getSettings()) };
    for (const key of Object.keys(DEFAULT_SETTINGS) as Array<keyof Settings>) {
      const value = patch[key];
      if (typeof value === 'boolean') next[key] = value;
    }
    await settingsItem.setValue(next);
    return next;
  });
  writes = write.catch(() => undefined);
  return write;
}

export const settingsHandlers: {
  [T in 'settings:get' | 'settings:set']: (
    request: BackgroundProtocol[T]['request'],
  ) => Promise<BackgroundProtocol[T]['response']>;
} = {
  'settings:get': () => getSettings(),
  'settings:set': (patch) => setSettings(patch),
};
