/**
 * The activation state read from a merchant's record, against the clock: an activation that never
 * landed expires, "activated" lasts 24 hours at most, and a record written by a clock that ran
 * ahead (then was put right) expires instead of holding its state until that date comes.
 */
import { describe, expect, it } from 'vitest';
import {
  ACTIVATED_MAX_MS,
  ACTIVATING_TIMEOUT_MS,
  activationStatus,
} from '../../../utils/activation/status';
import type { ActivationRecord } from '../../../utils/background/state';
import type { ActivationStatus } from '../../../utils/protocol/messages';

const NOW = Date.parse('2026-11-23T10:00:00Z');
const MINUTE = 60_000;
const YEAR = 365 * 24 * 60 * MINUTE;

const activating = (startedAt: number): ActivationRecord => ({
  state: 'activating',
  tabId: 1,
  startedAt,
});
const activated = (at: number): ActivationRecord => ({
  state: 'activated',
  at,
  until: at + ACTIVATED_MAX_MS,
});

describe('activationStatus', () => {
  it.each<[string, ActivationRecord | null, ActivationStatus]>([
    ['no record', null, { state: 'none' }],
    ['activating, just started', activating(NOW), { state: 'activating' }],
    [
      'activating, started just under the timeout ago',
      activating(NOW - ACTIVATING_TIMEOUT_MS + 1),
      { state: 'activating' },
    ],
    ['activating, timed out', activating(NOW - ACTIVATING_TIMEOUT_MS), { state: 'none' }],
    ['activating, started with the clock a year ahead', activating(NOW + YEAR), { state: 'none' }],
    [
      'activating, started with the clock a minute ahead',
      activating(NOW + MINUTE),
      { state: 'none' },
    ],
    [
      'activated an hour ago',
      activated(NOW - 60 * MINUTE),
      { state: 'activated', at: NOW - 60 * MINUTE },
    ],
    ['activated 24 h ago', activated(NOW - ACTIVATED_MAX_MS), { state: 'none' }],
    ['activated with the clock a year ahead', activated(NOW + YEAR), { state: 'none' }],
    ['activated with the clock a minute ahead', activated(NOW + MINUTE), { state: 'none' }],
  ])('%s', (_name, record, expected) => {
    expect(activationStatus(record, NOW)).toEqual(expected);
  });

  it('shows an error in the tab that tried only', () => {
    const record: ActivationRecord = {
      state: 'error',
      tabId: 7,
      at: NOW,
      failure: { reason: 'portal-unreachable' },
    };
    expect(activationStatus(record, NOW, 7)).toEqual({
      state: 'error',
      failure: { reason: 'portal-unreachable' },
    });
    expect(activationStatus(record, NOW, 8)).toEqual({ state: 'none' });
  });
});
