/**
 * Time passing, for the journeys that wait days (a merchant's tracking delay before a cashback
 * counts as missing): the portal's clock and the extension's, moved ahead together, as if the
 * member came back later. Nothing here is in the extension or the portal's API: the portal runs
 * in the harness's process and takes its clock as an option (portal/start.ts `now`), and the
 * extension's background reads `Date` at each call, which the harness moves in its own realm.
 * Why this way, and its limits: docs/testing.md "Moving the clock".
 */
import type { Worker } from '@playwright/test';
import type { Clock } from '../../portal/store/clock';

export const HOUR_MS = 60 * 60_000;

/** A clock for the portal (`startPortal({ now })`) that the harness can move ahead. */
export interface MovableClock {
  now: Clock;
  advance(ms: number): void;
}

export function movableClock(): MovableClock {
  let offset = 0;
  return {
    now: () => new Date(Date.now() + offset),
    advance(ms) {
      if (!(ms >= 0)) throw new RangeError(`The clock only moves ahead: ${ms}`);
      offset += ms;
    },
  };
}

/**
 * Moves a realm's clock `ms` ahead: `Date.now()` and `new Date()` (other forms of `Date` are
 * untouched). Runs in a page of the browser, as the source `clockShiftScript` sends, on that
 * realm's global or on another of the same origin (Firefox's background page). A realm that
 * starts again (a stopped worker, a suspended event page) has the right time again.
 */
function shiftRealmClock(ms: number, target: typeof globalThis): number {
  interface Shift {
    real: DateConstructor;
    offset: number;
  }
  const scope = target as typeof globalThis & { __harnessClock?: Shift };
  if (!scope.__harnessClock) {
    const real = scope.Date;
    const shift: Shift = { real, offset: 0 };
    const now = () => real.now() + shift.offset;
    function ShiftedDate(this: unknown, ...args: unknown[]): unknown {
      if (!new.target) return new real(now()).toString();
      return args.length === 0
        ? new real(now())
        : new (real as unknown as new (...a: unknown[]) => Date)(...args);
    }
    Object.setPrototypeOf(ShiftedDate, real);
    ShiftedDate.prototype = real.prototype;
    Object.assign(ShiftedDate, { now });
    scope.Date = ShiftedDate as unknown as DateConstructor;
    scope.__harnessClock = shift;
  }
  scope.__harnessClock.offset += ms;
  return scope.__harnessClock.offset;
}

/**
 * The expression that moves the clock of the realm `target` evaluates to (by default the one it
 * runs in) `ms` ahead and answers the total offset, for any driver's `evaluate` (a driver's
 * script runs despite the page's CSP). (`__name`: the helper esbuild (tsx) wraps named functions
 * in.)
 */
export function clockShiftScript(ms: number, target = 'globalThis'): string {
  if (!(ms >= 0)) throw new RangeError(`The clock only moves ahead: ${ms}`);
  return `(async () => { const __name = (f) => f; const target = await (${target}); return (${shiftRealmClock.toString()})(${ms}, target); })()`;
}

/** Moves the Chromium extension's service worker's clock `ms` ahead. */
export async function advanceWorkerClock(worker: Worker, ms: number): Promise<void> {
  await worker.evaluate(clockShiftScript(ms));
}
