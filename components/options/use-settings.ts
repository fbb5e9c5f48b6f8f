/** The settings as the options page edits them: shown at once, saved on every change. */
import { useEffect, useRef, useState } from 'preact/hooks';
import type { Settings } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';

const SAVED_VISIBLE_MS = 4000;

export type SaveState = 'idle' | 'saved' | 'failed';

export function useSettings() {
  const [settings, setSettings] = useState<Settings | null>(null);
  const [loadFailed, setLoadFailed] = useState(false);
  const [save, setSave] = useState<SaveState>('idle');
  // The last settings the background confirmed, to undo a change it could not save.
  const confirmed = useRef<Settings | null>(null);
  const savedTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  useEffect(() => {
    sendToBackground('settings:get', {}).then(
      (loaded) => {
        confirmed.current = loaded;
        setSettings(loaded);
      },
      () => setLoadFailed(true),
    );
  }, []);

  async function update(patch: Partial<Settings>) {
    // Shown before the round trip, so the checkbox answers at once.
    setSettings((current) => current && { ...current, ...patch });
    try {
      const saved = await sendToBackground('settings:set', patch);
      confirmed.current = saved;
      setSettings(saved);
      setSave('saved');
      clearTimeout(savedTimer.current);
      savedTimer.current = setTimeout(() => setSave('idle'), SAVED_VISIBLE_MS);
    } catch {
      setSettings(confirmed.current);
      setSave('failed');
    }
  }

  return { settings, loadFailed, save, update };
}
