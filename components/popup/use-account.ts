/**
 * The member's account as the popup follows it: paint the last known figures at once
 * (`account:get` answers from the background's cache), then ask for fresh ones and repaint.
 */
import { useCallback, useEffect, useState } from 'preact/hooks';
import type { AccountView } from '../../utils/protocol/messages';
import { sendToBackground } from '../../utils/protocol/send';

export type AccountState =
  { status: 'loading' } | { status: 'failed' } | { status: 'ready'; view: AccountView };

export function useAccount() {
  const [state, setState] = useState<AccountState>({ status: 'loading' });
  const [refreshing, setRefreshing] = useState(false);
  /** The background itself failed to answer the refresh (its own errors are in the view). */
  const [refreshFailed, setRefreshFailed] = useState(false);

  const refresh = useCallback(async () => {
    setRefreshing(true);
    setRefreshFailed(false);
    try {
      setState({ status: 'ready', view: await sendToBackground('account:refresh', {}) });
    } catch {
      setRefreshFailed(true);
    } finally {
      setRefreshing(false);
    }
  }, []);

  const load = useCallback(async () => {
    setState({ status: 'loading' });
    let view: AccountView;
    try {
      view = await sendToBackground('account:get', {});
    } catch {
      setState({ status: 'failed' });
      return;
    }
    setState({ status: 'ready', view });
    if (view.signedIn) await refresh();
  }, [refresh]);

  useEffect(() => {
    void load();
  }, [load]);

  const signedIn = useCallback(
    (view: AccountView) => {
      setState({ status: 'ready', view });
      void refresh();
    },
    [refresh],
  );

  const signOut = useCallback(async () => {
    try {
      setState({ status: 'ready', view: await sendToBackground('account:sign-out', {}) });
    } catch {
      await load();
    }
  }, [load]);

  return { state, refreshing, refreshFailed, reload: load, refresh, signedIn, signOut };
}

export type AccountController = ReturnType<typeof useAccount>;
