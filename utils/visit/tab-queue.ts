/**
 * Runs a tab's event handlers one after the other: a navigation's request, commit and
 * DOMContentLoaded arrive in order, but their async handlers would otherwise interleave.
 * Only the ordering lives in memory; the state itself is in storage.
 */
const tails = new Map<number, Promise<unknown>>();

export function inTabOrder<T>(tabId: number, task: () => Promise<T>): Promise<T> {
  const previous = tails.get(tabId) ?? Promise.resolve();
  const run = previous.then(task, task);
  const tail = run.catch(() => undefined);
  tails.set(tabId, tail);
  void tail.then(() => {
    if (tails.get(tabId) === tail) tails.delete(tabId);
  });
  return run;
}
