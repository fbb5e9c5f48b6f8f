/** What every benchmark group returns, and small timing helpers. */

export interface BenchRow {
  /** What was measured, with its conditions ("lookups/s at 100,000 merchants"). */
  metric: string;
  value: number;
  unit: string;
  /** The target, in words ("≥ 2,000,000"), when the issue sets one. */
  goal?: string;
  /** Whether the value meets the goal: reported, never asserted. */
  met?: boolean;
  note?: string;
}

/** A group: a file `tests/bench/<group>.ts` whose default export returns its rows. */
export type BenchGroup = () => Promise<BenchRow[]>;

/** Wall-clock milliseconds of the fastest of `runs` runs (the others are noise). */
export async function fastestMs(runs: number, run: () => unknown): Promise<number> {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await run();
    best = Math.min(best, performance.now() - start);
  }
  return best;
}

/**
 * CPU milliseconds of the fastest of `runs` synchronous runs: on a shared 2-core machine the wall
 * clock also counts the time other processes hold the core.
 */
export function fastestCpuMs(runs: number, run: () => void): number {
  let best = Infinity;
  for (let i = 0; i < runs; i++) {
    const start = process.cpuUsage();
    run();
    const used = process.cpuUsage(start);
    best = Math.min(best, (used.user + used.system) / 1000);
  }
  return best;
}

export function round(value: number, digits = 1): number {
  const factor = 10 ** digits;
  return Math.round(value * factor) / factor;
}

export const MB = 1024 * 1024;
