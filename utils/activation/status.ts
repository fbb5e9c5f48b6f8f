/**
 * The activation state a merchant is in, read from its session record. Pure: an activation
 * that never landed (the tab was closed, the network hung) expires instead of blocking the
 * banner forever, and "activated" lasts the session, 24 hours at most. A record whose times lie
 * further ahead than that was written by a clock that ran ahead: expired too.
 */
import type { ActivationRecord } from '../background/state';
import { isDeadlineAhead } from '../storage/deadline';
import type { ActivationStatus } from '../protocol/messages';

export const ACTIVATING_TIMEOUT_MS = 2 * 60_000;
export const ACTIVATED_MAX_MS = 24 * 60 * 60_000;

export function activationStatus(
  record: ActivationRecord | null,
  now: number,
  /** The tab asking: an error is shown in the tab that tried, not in every tab. */
  tabId?: number,
): ActivationStatus {
  if (record === null) return { state: 'none' };
  switch (record.state) {
    case 'activating':
      return isDeadlineAhead(record.startedAt + ACTIVATING_TIMEOUT_MS, now, ACTIVATING_TIMEOUT_MS)
        ? { state: 'activating' }
        : { state: 'none' };
    case 'activated':
      return isDeadlineAhead(record.until, now, ACTIVATED_MAX_MS)
        ? { state: 'activated', at: record.at }
        : { state: 'none' };
    case 'error':
      return tabId === undefined || tabId === record.tabId
        ? { state: 'error', failure: record.failure }
        : { state: 'none' };
  }
}
