/**
 * The merchant table: what the list serves, what clicks and shops look up.
 * Every entry is validated with the contract's MerchantSchema when it is written, so the list
 * can be served from the table without re-validating 100,000 entries per revision.
 */
import {
  CashbackSchema,
  MerchantSchema,
  type Cashback,
  type Merchant,
  type PromptsPolicy,
} from '../../utils/contract/schemas';
import { isCategory } from '../demo/catalog';
import type { MerchantRecord } from './merchant-record';
import type { TierId } from './tiers';
import type { Clock } from '../store/clock';
import type { Db } from '../store/db';
import { generateMerchants } from '../demo/generated-merchants';

type Source = 'demo' | 'generated';

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
const VERSION_KEY = 'merchants_version';

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
  const listedRows = db.prepare<[], MerchantRow>(
    'SELECT * FROM merchants WHERE listed = 1 ORDER BY position',
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
  const setGeneratedListed = db.prepare(
    `UPDATE merchants SET listed = (position < ?) WHERE source = 'generated' AND listed != (position < ?)`,
  );
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

  // Bumped on every change in this process: the list cache and the host index key on it.
  let revision = 0;
  let hostIndex: { revision: number; byDomain: Map<string, string> } | undefined;

  function touch(): void {
    writeMeta.run(VERSION_KEY, now().toISOString());
    revision += 1;
  }

  const insertAll = db.transaction(
    (records: readonly MerchantRecord[], source: Source, firstPosition: number) => {
      records.forEach((record, index) => {
        // Throws on an entry the contract would reject: the portal never serves one.
        MerchantSchema.parse(toEntry(record, 'http://localhost'));
        insertRow.run({
          id: record.id,
          position: firstPosition + index,
          source,
          listed: 1,
          name: record.name,
          category: record.category,
          color: record.color,
          domains: JSON.stringify(record.domains),
          cashback: JSON.stringify(record.cashback),
          hasLogo: record.hasLogo ? 1 : 0,
          checkoutPaths: record.checkoutPaths ? JSON.stringify(record.checkoutPaths) : null,
          prompts: record.prompts,
          terms: record.terms ?? null,
        });
      });
      touch();
    },
  );

  return {
    get revision() {
      return revision;
    },

    /** ISO timestamp of the last change of the merchant data. */
    version(): string {
      return readMeta.get(VERSION_KEY)?.value ?? new Date(0).toISOString();
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
      const { changes } = setGeneratedListed.run(limit, limit);
      if (changes > 0) touch();
      return stored < count || changes > 0;
    },

    demoIds(): string[] {
      return db
        .prepare<[], { id: string }>("SELECT id FROM merchants WHERE source = 'demo'")
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

    /** Sets the rate members of `tier` earn at the merchant (validated as the contract's). */
    setTierRate(merchantId: string, tier: TierId, cashback: Cashback): void {
      upsertTierRate.run(merchantId, tier, JSON.stringify(CashbackSchema.parse(cashback)));
      touch();
    },

    /** A merchant by id; `listed: true` (the default) ignores merchants not currently served. */
    get(id: string, options: { listed?: boolean } = {}): MerchantRecord | undefined {
      const row = byId.get(id);
      if (!row || (row.listed !== 1 && options.listed !== false)) return undefined;
      const record = fromRow(row);
      const rates = tierRatesOf.all(id);
      if (rates.length === 0) return record;
      const tierCashback = Object.fromEntries(
        rates.map((rate) => [rate.tier, JSON.parse(rate.cashback) as Cashback]),
      );
      return { ...record, tierCashback };
    },

    /**
     * The listed merchant whose domain matches `host` most specifically: strip one label at a
     * time and look each suffix up, so `voyages.grand-bazar.localhost` beats `grand-bazar.localhost`.
     */
    forHost(host: string): MerchantRecord | undefined {
      if (hostIndex?.revision !== revision) {
        const byDomain = new Map<string, string>();
        for (const row of listedDomains.iterate()) {
          for (const domain of JSON.parse(row.domains) as string[]) {
            const key = normalizeHost(domain);
            if (!byDomain.has(key)) byDomain.set(key, row.id);
          }
        }
        hostIndex = { revision, byDomain };
      }
      const labels = normalizeHost(host).split('.');
      for (let i = 0; i < labels.length; i += 1) {
        const id = hostIndex.byDomain.get(labels.slice(i).join('.'));
        if (id) return this.get(id);
      }
      return undefined;
    },
  };
}

export type Merchants = ReturnType<typeof createMerchants>;
