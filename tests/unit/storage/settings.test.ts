import { beforeEach, describe, expect, it } from 'vitest';
import { fakeBrowser } from 'wxt/testing/fake-browser';
import {
  DEFAULT_SETTINGS,
  getSettings,
  parseSettings,
  setSettings,
  settingsHandlers,
} from '../../../utils/storage/settings';

describe('parseSettings', () => {
  it.each([
    ['nothing', undefined, DEFAULT_SETTINGS],
    ['not an object', 'yes', DEFAULT_SETTINGS],
    ['an array', [true], DEFAULT_SETTINGS],
    [
      'a valid record',
      { reminders: false, checkoutOnly: true, notifications: false, searchMarks: false },
      { reminders: false, checkoutOnly: true, notifications: false, searchMarks: false },
    ],
    [
      'one field of the wrong type',
      { reminders: 'no', checkoutOnly: true, notifications: false, searchMarks: 'off' },
      { reminders: true, checkoutOnly: true, notifications: false, searchMarks: true },
    ],
    [
      'missing fields (an older version)',
      { reminders: false },
      { reminders: false, checkoutOnly: false, notifications: true, searchMarks: true },
    ],
    [
      'a version from before the search marks: they are on, as for a new install',
      { reminders: true, checkoutOnly: true, notifications: false },
      { reminders: true, checkoutOnly: true, notifications: false, searchMarks: true },
    ],
    [
      'unknown fields',
      { reminders: false, theme: 'dark' },
      { reminders: false, checkoutOnly: false, notifications: true, searchMarks: true },
    ],
  ])('%s → its valid fields, defaults for the others', (_, raw, expected) => {
    expect(parseSettings(raw)).toEqual(expected);
  });
});

describe('the stored settings', () => {
  beforeEach(() => {
    fakeBrowser.reset();
  });

  it('default to reminders on, everywhere, with notifications and search marks', async () => {
    expect(await getSettings()).toEqual({
      reminders: true,
      checkoutOnly: false,
      notifications: true,
      searchMarks: true,
    });
  });

  it('validate what is read back', async () => {
    await fakeBrowser.storage.local.set({ settings: { reminders: 0, checkoutOnly: true } });
    expect(await getSettings()).toEqual({
      reminders: true,
      checkoutOnly: true,
      notifications: true,
      searchMarks: true,
    });
  });

  it('change only the fields given', async () => {
    expect(await settingsHandlers['settings:set']({ checkoutOnly: true })).toEqual({
      reminders: true,
      checkoutOnly: true,
      notifications: true,
      searchMarks: true,
    });
    await settingsHandlers['settings:set']({ notifications: false, searchMarks: false });
    expect(await settingsHandlers['settings:get']({})).toEqual({
      reminders: true,
      checkoutOnly: true,
      notifications: false,
      searchMarks: false,
    });
  });

  it('lose no change when two arrive at once', async () => {
    await Promise.all([setSettings({ reminders: false }), setSettings({ notifications: false })]);
    expect(await getSettings()).toEqual({
      reminders: false,
      checkoutOnly: false,
      notifications: false,
      searchMarks: true,
    });
  });
});
