/**
 * The merchant table: what the list serves, what clicks and shops look up, and the catalogue the
 * admin edits. Every entry is validated with the contract's MerchantSchema when it is written, so
 * the list can be served from the table without re-validating 100,000 entries per revision.
 *
 * Every change of the served list is a row of `merchant_changes` (migrations.ts): the list's
 * version names the last one, and the changes since a version are the merchants named after it
 * (docs/portal-api.md §2b), whatever happened to them in between.
 */
import { z } from 'zod';
import {
  CashbackSchema,
  MerchantSchema,
  type Cashback,
  type Merchant,
  type MerchantInput,
  type PromptsPolicy,
} from '../../utils/contract/schemas';
import { CATEGORY_IDS, isCategory, type Category } from '../demo/catalog';
import type { MerchantRecord } from './merchant-record';
import type { TierId } from './tiers';
import type { Clock } from '../store/clock';
import type { Db } from '../store/db';
import { generateMerchants, hslToHex } from '../demo/generated-merchants';

type Source = 'demo' | 'generated' | 'catalogue';

/** Who made a change of the list (the admin page shows it). */
export type ChangeOrigin = 'seed' | 'generated' | 'admin' | 'import';
export type ChangeAction = 'added' | 'changed' | 'removed';

export interface MerchantChange {
  seq: number;
  merchantId: string;
  action: ChangeAction;
  origin: ChangeOrigin;
  changedAt: string;
}

/** The changes since a version, or why there are none to give. */
export type ChangesSince =
  | { kind: 'changes'; from: string; to: string; upserted: MerchantRecord[]; removed: string[] }
  /** Not a version of this portal's form. */
  | { kind: 'invalid' }
  /** Of another database (reset, restored) or from the future: never ours. */
  | { kind: 'unknown' }
  /** Older than the kept log, or so old that the whole list costs less. */
  | { kind: 'too-old' };

/** How long the change log is kept: a member whose list is older downloads it whole. */
export const CHANGE_LOG_DAYS = 30;

/**
 * A merchant as the admin writes it: the contract's entry (validated by MerchantSchema), with
 * what only the portal knows (the demo shop's category and colour). `logoUrl`, when given, is
 * the logo this portal draws (`…/logos/<id>.svg`): the extension shows it, and a logo elsewhere
 * would be a third-party request from the member's browser.
 */
export const CatalogueEntrySchema = MerchantSchema.extend({
  category: z.enum(CATEGORY_IDS as [Category, ...Category[]]).optional(),
  color: z
    .string()
    .regex(/^#[0-9a-f]{6}$/i, 'a colour #rrggbb')
    .optional(),
}).superRefine((entry, ctx) => {
  if (entry.logoUrl !== undefined && !entry.logoUrl.endsWith(`/logos/${entry.id}.svg`)) {
    ctx.addIssue({
      code: 'custom',
      path: ['logoUrl'],
      message: `the portal draws the logos itself: …/logos/${entry.id}.svg, or none`,
    });
  }
  const seen = new Set<string>();
  entry.domains.forEach((domain, i) => {
    const host = hostOf(domain);
    if (host === null) {
      ctx.addIssue({ code: 'custom', path: ['domains', i], message: 'not a hostname' });
    } else if (seen.has(host)) {
      ctx.addIssue({ code: 'custom', path: ['domains', i], message: 'listed twice' });
    }
    if (host !== null) seen.add(host);
  });
});
export type CatalogueEntry = z.output<typeof CatalogueEntrySchema>;
export type CatalogueEntryInput = MerchantInput & { category?: string; color?: string };

/** A bare hostname in lower case, or null (a path, a port, a scheme, a space…). */
function hostOf(domain: string): string | null {
  const trimmed = domain.trim().toLowerCase().replace(/\.$/, '');
  if (!/^[a-z0-9.-]+$/.test(trimmed) || !trimmed.includes('.')) return null;
  try {
    return new URL(`http://${trimmed}`).hostname === trimmed ? trimmed : null;
  } catch {
    return null;
  }
}

/** One catalogue write refused, and why (for the admin: row, field, message). */
export interface CatalogueError {
  /** The entry's position in an import (1 = the first entry). */
  row?: number;
  id?: string;
  message: string;
}

export type CatalogueResult<T> = { ok: true; value: T } | { ok: false; errors: CatalogueError[] };

export interface ImportSummary {
  added: number;
  changed: number;
  removed: number;
  unchanged: number;
  version: string;
}

interface MerchantRow {
  id: string;
  name: string;
  category: string;
  color: string;
  domains: string;
  cashback: string;
  has_logo: number;
  checkout_paths: string | null;
  prompts: PromptsPolicy;
  terms: string | null;
}

/** Generated merchants sort after the demo ones whatever their number. */
const GENERATED_POSITION = 1_000_000;
const EPOCH_KEY = 'merchant_list_epoch';
const FLOOR_KEY = 'merchant_changes_floor';
const VERSION = /^([0-9a-f]{8})-(\d{1,15})$/;

/** The wire form of a merchant; `origin` is the portal's public origin (for the logo). */
export function toEntry(record: MerchantRecord, origin: string): Merchant {
  return {
    id: record.id,
    name: record.name,
    domains: record.domains,
    cashback: record.cashback,
    ...(record.hasLogo ? { logoUrl: `${origin}/logos/${record.id}.svg` } : {}),
    ...(record.checkoutPaths ? { checkoutPaths: record.checkoutPaths } : {}),
    prompts: record.prompts,
    ...(record.terms ? { terms: record.terms } : {}),
    ...(record.tierCashback ? { tierCashback: record.tierCashback } : {}),
  };
}

function fromRow(row: MerchantRow): MerchantRecord {
  if (!isCategory(row.category)) throw new Error(`merchant ${row.id}: unknown category`);
  return {
    id: row.id,
    name: row.name,
    category: row.category,
    color: row.color,
    domains: JSON.parse(row.domains) as string[],
    cashback: JSON.parse(row.cashback) as Cashback,
    hasLogo: row.has_logo === 1,
    ...(row.checkout_paths ? { checkoutPaths: JSON.parse(row.checkout_paths) as string[] } : {}),
    prompts: row.prompts,
    ...(row.terms ? { terms: row.terms } : {}),
  };
}

/** Lower case, no trailing dot, no port: how hosts and domains are compared. */
export function normalizeHost(host: string): string {
  return host.toLowerCase().replace(/:\d+$/, '').replace(/\.$/, '');
}

export function createMerchants(db: Db, now: Clock) {
  const insertRow = db.prepare(
    `INSERT INTO merchants (id, position, source, listed, name, category, color, domains, cashback,
       has_logo, checkout_paths, prompts, terms)
     VALUES (@id, @position, @source, @listed, @name, @category, @color, @domains, @cashback,
       @hasLogo, @checkoutPaths, @prompts, @terms)`,
  );
  const updateRow = db.prepare(
    `UPDATE merchants SET listed = 1, name = @name, category = @category, color = @color,
       domains = @domains, cashback = @cashback, has_logo = @hasLogo,
       checkout_paths = @checkoutPaths, prompts = @prompts, terms = @terms
     WHERE id = @id`,
  );
  const unlistRow = db.prepare('UPDATE merchants SET listed = 0 WHERE id = ? AND listed = 1');
  const listedRows = db.prepare<[], MerchantRow>(
    'SELECT * FROM merchants WHERE listed = 1 ORDER BY position',
  );
  const listedCount = db.prepare<[], { n: number }>(
    'SELECT count(*) AS n FROM merchants WHERE listed = 1',
  );
  const demoRows = db.prepare<[], MerchantRow>(
    "SELECT * FROM merchants WHERE listed = 1 AND source = 'demo' ORDER BY position",
  );
  const listedDomains = db.prepare<[], { id: string; domains: string }>(
    'SELECT id, domains FROM merchants WHERE listed = 1 ORDER BY position',
  );
  const byId = db.prepare<[string], MerchantRow & { listed: number }>(
    'SELECT * FROM merchants WHERE id = ?',
  );
  const countBySource = db.prepare<[Source], { n: number }>(
    'SELECT count(*) AS n FROM merchants WHERE source = ?',
  );
  const lastPosition = db.prepare<[], { p: number | null }>(
    "SELECT max(position) AS p FROM merchants WHERE source != 'generated'",
  );
  const logGeneratedFlips = db.prepare(
    `INSERT INTO merchant_changes (merchant_id, action, origin, changed_at)
     SELECT id, CASE WHEN position < @limit THEN 'added' ELSE 'removed' END, 'generated', @at
     FROM merchants WHERE source = 'generated' AND listed != (position < @limit)
     ORDER BY position`,
  );
  const setGeneratedListed = db.prepare(
    `UPDATE merchants SET listed = (position < ?) WHERE source = 'generated' AND listed != (position < ?)`,
  );
  const logChange = db.prepare(
    'INSERT INTO merchant_changes (merchant_id, action, origin, changed_at) VALUES (?, ?, ?, ?)',
  );
  const lastSeq = db.prepare<[], { seq: number }>(
    "SELECT seq FROM sqlite_sequence WHERE name = 'merchant_changes'",
  );
  const changedSince = db.prepare<[number], { merchant_id: string; action: ChangeAction }>(
    'SELECT merchant_id, action FROM merchant_changes WHERE seq > ? ORDER BY seq',
  );
  const changedCountSince = db.prepare<[number], { n: number }>(
    'SELECT count(DISTINCT merchant_id) AS n FROM merchant_changes WHERE seq > ?',
  );
  const recentChangeRows = db.prepare<
    [number],
    {
      seq: number;
      merchant_id: string;
      action: ChangeAction;
      origin: ChangeOrigin;
      changed_at: string;
    }
  >('SELECT * FROM merchant_changes ORDER BY seq DESC LIMIT ?');
  const prunable = db.prepare<[string], { seq: number | null }>(
    'SELECT max(seq) AS seq FROM merchant_changes WHERE changed_at < ?',
  );
  const prune = db.prepare('DELETE FROM merchant_changes WHERE seq <= ?');
  const readMeta = db.prepare<[string], { value: string }>('SELECT value FROM meta WHERE key = ?');
  const writeMeta = db.prepare(
    'INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value',
  );

  const tierRates = db.prepare<[], { merchant_id: string; tier: string; cashback: string }>(
    'SELECT merchant_id, tier, cashback FROM merchant_tier_rates ORDER BY merchant_id, tier',
  );
  const tierRatesOf = db.prepare<[string], { tier: string; cashback: string }>(
    'SELECT tier, cashback FROM merchant_tier_rates WHERE merchant_id = ? ORDER BY tier',
  );
  const upsertTierRate = db.prepare(
    `INSERT INTO merchant_tier_rates (merchant_id, tier, cashback) VALUES (?, ?, ?)
     ON CONFLICT (merchant_id, tier) DO UPDATE SET cashback = excluded.cashback`,
  );

  /** Each merchant with its rates per tier, read once for the whole lot. */
  function withTierRates(records: MerchantRecord[]): MerchantRecord[] {
    const byMerchant = new Map<string, Record<string, Cashback>>();
    for (const row of tierRates.iterate()) {
      const rates = byMerchant.get(row.merchant_id) ?? {};
      rates[row.tier] = JSON.parse(row.cashback) as Cashback;
      byMerchant.set(row.merchant_id, rates);
    }
    if (byMerchant.size === 0) return records;
    return records.map((record) => {
      const tierCashback = byMerchant.get(record.id);
      return tierCashback ? { ...record, tierCashback } : record;
    });
  }

  // Bumped on every change in this process: the list cache keys on it.
  let revision = 0;
  /**
   * Listed domains → their merchant, built on first use and then kept up to date by each write
   * (a catalogue of 100,000 is not read again per change); dropped after bulk writes and
   * rollbacks, and built again.
   */
  let hostIndex: Map<string, string> | undefined;

  function moveDomains(id: string, before: readonly string[], after: readonly string[]): void {
    if (!hostIndex) return;
    for (const domain of before) {
      const key = normalizeHost(domain);
      if (hostIndex.get(key) === id) hostIndex.delete(key);
    }
    for (const domain of after) {
      const key = normalizeHost(domain);
      if (!hostIndex.has(key)) hostIndex.set(key, id);
    }
  }

  const epoch = () => readMeta.get(EPOCH_KEY)?.value ?? '00000000';
  const seqNow = () => lastSeq.get()?.seq ?? 0;
  const floor = () => Number(readMeta.get(FLOOR_KEY)?.value ?? 0);

  function log(id: string, action: ChangeAction, origin: ChangeOrigin): void {
    logChange.run(id, action, origin, now().toISOString());
  }

  /** After writes: drop the log past its age (raising the floor), and let the caches know. */
  function changed(): void {
    const cutoff = new Date(now().getTime() - CHANGE_LOG_DAYS * 86_400_000).toISOString();
    const old = prunable.get(cutoff)?.seq;
    if (old != null) {
      prune.run(old);
      writeMeta.run(FLOOR_KEY, String(Math.max(old, floor())));
    }
    revision += 1;
  }

  function rowOf(record: MerchantRecord) {
    return {
      id: record.id,
      name: record.name,
      category: record.category,
      color: record.color,
      domains: JSON.stringify(record.domains),
      cashback: JSON.stringify(record.cashback),
      hasLogo: record.hasLogo ? 1 : 0,
      checkoutPaths: record.checkoutPaths ? JSON.stringify(record.checkoutPaths) : null,
      prompts: record.prompts,
      terms: record.terms ?? null,
    };
  }

  const insertAll = db.transaction(
    (records: readonly MerchantRecord[], source: Source, firstPosition: number) => {
      records.forEach((record, index) => {
        // Throws on an entry the contract would reject: the portal never serves one.
        MerchantSchema.parse(toEntry(record, 'http://localhost'));
        insertRow.run({ ...rowOf(record), position: firstPosition + index, source, listed: 1 });
        log(record.id, 'added', source === 'generated' ? 'generated' : 'seed');
      });
      hostIndex = undefined;
      changed();
    },
  );

  /** The listed merchant (other than `id`) that has one of `domains`, if any. */
  function domainHolder(domains: readonly string[], id: string): MerchantRecord | undefined {
    for (const domain of domains) {
      const holder = ownerOfDomain(normalizeHost(domain));
      if (holder !== undefined && holder !== id) return getRecord(holder);
    }
    return undefined;
  }

  function ownerOfDomain(domain: string): string | undefined {
    if (!hostIndex) {
      hostIndex = new Map<string, string>();
      for (const row of listedDomains.iterate()) {
        for (const d of JSON.parse(row.domains) as string[]) {
          const key = normalizeHost(d);
          if (!hostIndex.has(key)) hostIndex.set(key, row.id);
        }
      }
    }
    return hostIndex.get(domain);
  }

  function getRecord(id: string, options: { listed?: boolean } = {}) {
    const row = byId.get(id);
    if (!row || (row.listed !== 1 && options.listed !== false)) return undefined;
    const record = fromRow(row);
    const rates = tierRatesOf.all(id);
    if (rates.length === 0) return record;
    const tierCashback = Object.fromEntries(
      rates.map((rate) => [rate.tier, JSON.parse(rate.cashback) as Cashback]),
    );
    return { ...record, tierCashback };
  }

  /** The record an entry makes, keeping what the entry does not say from the existing one. */
  function recordOf(entry: CatalogueEntry, existing: MerchantRecord | undefined): MerchantRecord {
    return {
      id: entry.id,
      name: entry.name,
      category: entry.category ?? existing?.category ?? 'bazar',
      color: entry.color ?? existing?.color ?? colorFor(entry.id),
      domains: entry.domains.map((domain) => hostOf(domain)!),
      cashback: entry.cashback,
      hasLogo: entry.logoUrl !== undefined,
      ...(entry.checkoutPaths ? { checkoutPaths: entry.checkoutPaths } : {}),
      prompts: entry.prompts,
      ...(entry.terms ? { terms: entry.terms } : {}),
    };
  }

  const sameRecord = (a: MerchantRecord, b: MerchantRecord) =>
    JSON.stringify(rowOf(a)) === JSON.stringify(rowOf(b));

  /**
   * Writes one validated entry (in the caller's transaction): added, changed, or nothing when it
   * says what the table already holds. `claimed`: domains of this batch's earlier entries.
   */
  function upsert(
    entry: CatalogueEntry,
    origin: ChangeOrigin,
    claimed: Map<string, string> = new Map(),
  ): { action: ChangeAction | 'unchanged' } | { error: string } {
    const row = byId.get(entry.id);
    const existing = row ? fromRow(row) : undefined;
    const record = recordOf(entry, existing);
    for (const domain of record.domains) {
      const other = claimed.get(domain);
      if (other !== undefined && other !== record.id) {
        return { error: `domain ${domain} is also in entry "${other}"` };
      }
    }
    const holder = domainHolder(record.domains, record.id);
    if (holder && !claimed.has(holder.id)) {
      const shared = record.domains.find((d) => holder.domains.map(normalizeHost).includes(d));
      return { error: `domain ${shared} already belongs to merchant "${holder.id}"` };
    }
    for (const domain of record.domains) claimed.set(domain, record.id);
    if (!row) {
      const position = (lastPosition.get()?.p ?? 0) + 1;
      insertRow.run({ ...rowOf(record), position, source: 'catalogue', listed: 1 });
      log(record.id, 'added', origin);
      moveDomains(record.id, [], record.domains);
      return { action: 'added' };
    }
    if (row.listed === 1 && sameRecord(existing!, record)) return { action: 'unchanged' };
    updateRow.run(rowOf(record));
    log(record.id, row.listed === 1 ? 'changed' : 'added', origin);
    moveDomains(record.id, row.listed === 1 ? existing!.domains : [], record.domains);
    return { action: row.listed === 1 ? 'changed' : 'added' };
  }

  function unlist(id: string, origin: ChangeOrigin): boolean {
    const record = getRecord(id);
    if (!record || unlistRow.run(id).changes === 0) return false;
    log(id, 'removed', origin);
    moveDomains(id, record.domains, []);
    return true;
  }

  /** Each entry through CatalogueEntrySchema; the errors with their row numbers. */
  function validate(entries: readonly unknown[]): CatalogueResult<CatalogueEntry[]> {
    const valid: CatalogueEntry[] = [];
    const errors: CatalogueError[] = [];
    const ids = new Set<string>();
    entries.forEach((entry, index) => {
      const parsed = CatalogueEntrySchema.safeParse(entry);
      const rawId = (entry as { id?: unknown } | null)?.id;
      const id = typeof rawId === 'string' ? rawId : undefined;
      if (!parsed.success) {
        errors.push({
          row: index + 1,
          ...(id === undefined ? {} : { id }),
          message: parsed.error.issues
            .slice(0, 5)
            .map((issue) => `${issue.path.map(String).join('.') || '(entry)'}: ${issue.message}`)
            .join('; '),
        });
        return;
      }
      if (ids.has(parsed.data.id)) {
        errors.push({ row: index + 1, id: parsed.data.id, message: 'id listed twice' });
        return;
      }
      ids.add(parsed.data.id);
      valid.push(parsed.data);
    });
    return errors.length > 0 ? { ok: false, errors } : { ok: true, value: valid };
  }

  class Refused extends Error {
    constructor(readonly errors: CatalogueError[]) {
      super('refused');
    }
  }

  /** Runs `write` in one transaction; a Refused rolls it back whole. */
  function atomically<T>(write: () => T): CatalogueResult<T> {
    try {
      const value = db.transaction(write)();
      changed();
      return { ok: true, value };
    } catch (error) {
      // Rolled back: the host index followed writes that are undone.
      hostIndex = undefined;
      if (error instanceof Refused) return { ok: false, errors: error.errors };
      throw error;
    }
  }

  return {
    get revision() {
      return revision;
    },

    /** The list's version: this database's epoch and the last change (docs/portal-api.md §2b). */
    version(): string {
      return `${epoch()}-${seqNow()}`;
    },

    /** The changes of the served list since `since`, or why they cannot be given. */
    changesSince(since: string): ChangesSince {
      const parsed = VERSION.exec(since);
      if (!parsed) return { kind: 'invalid' };
      const seq = Number(parsed[2]);
      if (parsed[1] !== epoch() || seq > seqNow()) return { kind: 'unknown' };
      if (seq < floor()) return { kind: 'too-old' };
      // Past a quarter of the list, the whole list (compressed alike) costs about as much.
      const count = changedCountSince.get(seq)?.n ?? 0;
      if (count > Math.max(1_000, (listedCount.get()?.n ?? 0) / 4)) return { kind: 'too-old' };
      const first = new Map<string, ChangeAction>();
      for (const row of changedSince.iterate(seq)) {
        if (!first.has(row.merchant_id)) first.set(row.merchant_id, row.action);
      }
      const upserted: MerchantRecord[] = [];
      const removed: string[] = [];
      for (const [id, action] of first) {
        const record = getRecord(id);
        if (record) upserted.push(record);
        // Added and removed since: the client never had it.
        else if (action !== 'added') removed.push(id);
      }
      return { kind: 'changes', from: since, to: this.version(), upserted, removed };
    },

    /** The last changes, newest first (the admin page). */
    recentChanges(limit: number): MerchantChange[] {
      return recentChangeRows.all(limit).map((row) => ({
        seq: row.seq,
        merchantId: row.merchant_id,
        action: row.action,
        origin: row.origin,
        changedAt: row.changed_at,
      }));
    },

    insertDemo(records: readonly MerchantRecord[]): void {
      insertAll(records, 'demo', 0);
    },

    /**
     * Lists exactly `count` generated merchants after the demo ones (0: none). They are generated
     * deterministically, inserted once and only hidden afterwards, so that switching between
     * `--merchants` values is fast and clicks keep their merchant. Returns whether the list changed.
     */
    syncGenerated(count: number): boolean {
      const stored = countBySource.get('generated')?.n ?? 0;
      if (stored < count) {
        const fresh = generateMerchants(count, new Set(this.demoIds())).slice(stored);
        insertAll(fresh, 'generated', GENERATED_POSITION + stored);
      }
      const limit = GENERATED_POSITION + count;
      const flipped = db.transaction(() => {
        logGeneratedFlips.run({ limit, at: now().toISOString() });
        return setGeneratedListed.run(limit, limit).changes;
      })();
      if (flipped > 0) {
        hostIndex = undefined;
        changed();
      }
      return stored < count || flipped > 0;
    },

    /** Ids the generated merchants must not take: every merchant's but theirs. */
    demoIds(): string[] {
      return db
        .prepare<[], { id: string }>("SELECT id FROM merchants WHERE source != 'generated'")
        .all()
        .map((row) => row.id);
    },

    listed(): MerchantRecord[] {
      return withTierRates(listedRows.all().map(fromRow));
    },

    /** The demo merchants (the ones with a `.localhost` shop), in seed order. */
    demo(): MerchantRecord[] {
      return withTierRates(demoRows.all().map(fromRow));
    },

    /**
     * Sets the rate members of `tier` earn at the merchant (validated as the contract's): a change
     * of its entry, so a new version of the list (delta sync brings it).
     */
    setTierRate(
      merchantId: string,
      tier: TierId,
      cashback: Cashback,
      origin: ChangeOrigin = 'admin',
    ): void {
      const valid = JSON.stringify(CashbackSchema.parse(cashback));
      db.transaction(() => {
        upsertTierRate.run(merchantId, tier, valid);
        if (getRecord(merchantId)) log(merchantId, 'changed', origin);
      })();
      changed();
    },

    /** A merchant by id; `listed: true` (the default) ignores merchants not currently served. */
    get: getRecord,

    /**
     * The listed merchant whose domain matches `host` most specifically: strip one label at a
     * time and look each suffix up, so `voyages.grand-bazar.localhost` beats `grand-bazar.localhost`.
     */
    forHost(host: string): MerchantRecord | undefined {
      const labels = normalizeHost(host).split('.');
      for (let i = 0; i < labels.length; i += 1) {
        const id = ownerOfDomain(labels.slice(i).join('.'));
        if (id) return getRecord(id);
      }
      return undefined;
    },

    // ---------- the admin's catalogue ----------

    /** Adds a merchant, or lists again one that was removed: a new version of the list. */
    add(input: unknown, origin: ChangeOrigin = 'admin'): CatalogueResult<MerchantRecord> {
      const valid = validate([input]);
      if (!valid.ok) return { ok: false, errors: valid.errors.map(({ row: _row, ...e }) => e) };
      const entry = valid.value[0]!;
      if (getRecord(entry.id)) {
        return { ok: false, errors: [{ id: entry.id, message: 'a merchant already has this id' }] };
      }
      return atomically(() => {
        const written = upsert(entry, origin);
        if ('error' in written) throw new Refused([{ id: entry.id, message: written.error }]);
        return getRecord(entry.id)!;
      });
    },

    /** Replaces a listed merchant's entry; unchanged when it says the same. */
    update(
      id: string,
      input: unknown,
      origin: ChangeOrigin = 'admin',
    ): CatalogueResult<{ record: MerchantRecord; changed: boolean }> | undefined {
      if (!getRecord(id)) return undefined;
      const valid = validate([input]);
      if (!valid.ok) return { ok: false, errors: valid.errors.map(({ row: _row, ...e }) => e) };
      const entry = valid.value[0]!;
      if (entry.id !== id) {
        return {
          ok: false,
          errors: [{ id, message: `id: "${entry.id}" in the body, "${id}" in the path` }],
        };
      }
      return atomically(() => {
        const written = upsert(entry, origin);
        if ('error' in written) throw new Refused([{ id, message: written.error }]);
        return { record: getRecord(id)!, changed: written.action !== 'unchanged' };
      });
    },

    /** Takes a merchant out of the list (its row stays: clicks refer to it). */
    remove(id: string, origin: ChangeOrigin = 'admin'): boolean {
      const done = atomically(() => unlist(id, origin));
      return done.ok && done.value;
    },

    /**
     * Imports a catalogue, all or nothing: every entry is validated first, and one bad entry
     * writes nothing (the errors say which rows and why). `replace` also takes out of the list
     * every merchant the catalogue does not have.
     */
    importCatalogue(
      entries: readonly unknown[],
      mode: 'upsert' | 'replace',
    ): CatalogueResult<ImportSummary> {
      const valid = validate(entries);
      if (!valid.ok) return valid;
      const result = atomically(() => {
        const summary = { added: 0, changed: 0, removed: 0, unchanged: 0 };
        const errors: CatalogueError[] = [];
        const claimed = new Map<string, string>();
        // Removals first: a domain may move from a removed merchant to an imported one.
        if (mode === 'replace') {
          const keep = new Set(valid.value.map((entry) => entry.id));
          for (const record of listedRows.all()) {
            if (!keep.has(record.id) && unlist(record.id, 'import')) summary.removed += 1;
          }
        }
        valid.value.forEach((entry, index) => {
          const written = upsert(entry, 'import', claimed);
          if ('error' in written)
            errors.push({ row: index + 1, id: entry.id, message: written.error });
          else summary[written.action] += 1;
        });
        if (errors.length > 0) throw new Refused(errors);
        return summary;
      });
      return result.ok ? { ok: true, value: { ...result.value, version: this.version() } } : result;
    },
  };
}

/** A colour for a merchant the admin added without one: stable for its id. */
function colorFor(id: string): string {
  let hash = 0;
  for (let i = 0; i < id.length; i++) hash = (Math.imul(hash, 31) + id.charCodeAt(i)) | 0;
  return hslToHex(Math.abs(hash) % 360, 0.55, 0.38);
}

export type Merchants = ReturnType<typeof createMerchants>;
