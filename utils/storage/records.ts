/**
 * Typed, validated records in the browser's storage areas, for background state that must
 * survive the MV3 worker being stopped (nothing lives only in memory).
 * `session` is cleared when the browser closes; `local` survives restarts.
 * Every read is validated: a record that no longer fits its schema (after an upgrade, or
 * tampered with) reads as absent instead of crashing the worker.
 */
import { storage, type StorageItemKey } from 'wxt/utils/storage';
import type { z } from 'zod';

export interface RecordFamily<T> {
  get(id: string | number): Promise<T | null>;
  set(id: string | number, value: T): Promise<void>;
  remove(id: string | number): Promise<void>;
  /** Every record of the family, by id. */
  all(): Promise<Map<string, T>>;
  /** Where record `id` is stored, and how a raw stored value reads: for readTogether. */
  keyOf(id: string | number): StorageItemKey;
  parse(raw: unknown): T | null;
}

type Read = readonly [RecordFamily<unknown>, string | number];
type ReadValues<R extends readonly Read[]> = {
  [K in keyof R]: R[K] extends readonly [RecordFamily<infer T>, unknown] ? T | null : never;
};

/**
 * Several records of any families in one call to the browser per storage area: on a path that
 * runs for every navigation, each call is a round trip to the browser process.
 */
export async function readTogether<const R extends readonly Read[]>(
  ...reads: R
): Promise<ReadValues<R>> {
  const raw = await storage.getItems(reads.map(([family, id]) => family.keyOf(id)));
  return reads.map(([family], i) => family.parse(raw[i]?.value)) as ReadValues<R>;
}

export function recordFamily<S extends z.ZodType>(
  area: 'session' | 'local',
  prefix: string,
  schema: S,
): RecordFamily<z.infer<S>> {
  const key = (id: string | number) => `${area}:${prefix}:${id}` as StorageItemKey;
  const parse = (raw: unknown): z.infer<S> | null => {
    if (raw === null || raw === undefined) return null;
    const parsed = schema.safeParse(raw);
    return parsed.success ? parsed.data : null;
  };
  return {
    async get(id) {
      return parse(await storage.getItem(key(id)));
    },
    async set(id, value) {
      await storage.setItem(key(id), value);
    },
    async remove(id) {
      await storage.removeItem(key(id));
    },
    keyOf: key,
    parse,
    async all() {
      const snapshot = await storage.snapshot(area);
      const found = new Map<string, z.infer<S>>();
      for (const [name, raw] of Object.entries(snapshot)) {
        if (!name.startsWith(`${prefix}:`)) continue;
        const value = parse(raw);
        if (value !== null) found.set(name.slice(prefix.length + 1), value);
      }
      return found;
    },
  };
}
