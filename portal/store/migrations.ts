/**
 * The portal's database schema as an ordered list of migrations. `PRAGMA user_version` holds the
 * number of migrations applied; db.ts applies the missing ones at start, each in a transaction.
 * Never edit a migration that has shipped: append a new one.
 */
export interface Migration {
  name: string;
  sql: string;
  /** It recreates a table that others refer to: run with the foreign keys off (db.ts). */
  rebuildsTables?: boolean;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    name: 'members and sessions',
    sql: `
      CREATE TABLE members (
        id INTEGER PRIMARY KEY,
        email TEXT NOT NULL UNIQUE COLLATE NOCASE,
        display_name TEXT NOT NULL,
        password_hash TEXT NOT NULL,
        created_at TEXT NOT NULL
      );
      -- Tokens are stored as SHA-256 hashes: a leaked database does not leak sessions.
      CREATE TABLE sessions (
        token_hash TEXT PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES members(id) ON DELETE CASCADE,
        created_at TEXT NOT NULL,
        expires_at TEXT NOT NULL
      );
      CREATE INDEX sessions_expiry ON sessions(expires_at);
    `,
  },
  {
    name: 'merchants and list metadata',
    sql: `
      -- Rows are never deleted (clicks and transactions refer to them): a merchant leaves the
      -- served list by 'listed = 0'.
      CREATE TABLE merchants (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('demo', 'generated')),
        listed INTEGER NOT NULL DEFAULT 1,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        color TEXT NOT NULL,
        domains TEXT NOT NULL,
        cashback TEXT NOT NULL,
        has_logo INTEGER NOT NULL,
        checkout_paths TEXT,
        prompts TEXT NOT NULL CHECK (prompts IN ('allowed', 'checkout-only', 'never')),
        terms TEXT
      );
      CREATE INDEX merchants_listed ON merchants(listed, position);
      CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    `,
  },
  {
    name: 'clicks and transactions',
    sql: `
      CREATE TABLE clicks (
        id TEXT PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES members(id),
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        url TEXT NOT NULL,
        created_at TEXT NOT NULL,
        followed_at TEXT,
        follow_count INTEGER NOT NULL DEFAULT 0
      );
      CREATE INDEX clicks_created ON clicks(created_at);
      -- Balances are derived from this table (sum per status), never stored.
      CREATE TABLE transactions (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES members(id),
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        click_id TEXT REFERENCES clicks(id),
        order_ref TEXT NOT NULL,
        ordered_at TEXT NOT NULL,
        order_amount INTEGER NOT NULL CHECK (order_amount >= 0),
        cashback INTEGER NOT NULL CHECK (cashback >= 0),
        currency TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('pending', 'confirmed', 'cancelled', 'paid')),
        status_changed_at TEXT NOT NULL,
        UNIQUE (merchant_id, order_ref)
      );
      CREATE INDEX transactions_member ON transactions(member_id, ordered_at DESC, id DESC);
    `,
  },
  {
    name: 'demo shop orders',
    sql: `
      CREATE TABLE shop_orders (
        id INTEGER PRIMARY KEY,
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        number TEXT NOT NULL UNIQUE,
        amount INTEGER NOT NULL CHECK (amount >= 0),
        items TEXT NOT NULL,
        click_id TEXT,
        postback_status INTEGER,
        cashback_tracked INTEGER NOT NULL,
        created_at TEXT NOT NULL
      );
    `,
  },
  {
    name: 'merchant catalogue and its change log',
    rebuildsTables: true,
    sql: `
      -- Merchants added through the admin's catalogue (one by one or imported) are a third
      -- source: the CHECK is widened by recreating the table (SQLite cannot alter a CHECK).
      CREATE TABLE merchants_v5 (
        id TEXT PRIMARY KEY,
        position INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('demo', 'generated', 'catalogue')),
        listed INTEGER NOT NULL DEFAULT 1,
        name TEXT NOT NULL,
        category TEXT NOT NULL,
        color TEXT NOT NULL,
        domains TEXT NOT NULL,
        cashback TEXT NOT NULL,
        has_logo INTEGER NOT NULL,
        checkout_paths TEXT,
        prompts TEXT NOT NULL CHECK (prompts IN ('allowed', 'checkout-only', 'never')),
        terms TEXT
      );
      INSERT INTO merchants_v5 SELECT * FROM merchants;
      DROP TABLE merchants;
      ALTER TABLE merchants_v5 RENAME TO merchants;
      CREATE INDEX merchants_listed ON merchants(listed, position);

      -- One row per change of a merchant of the served list: the list's version is the last
      -- row's seq, and the changes since a version are the merchants named after it (their
      -- current rows say what they are now). Old rows are pruned; 'merchant_changes_floor' is
      -- the oldest version the remaining rows can still bring up to date.
      CREATE TABLE merchant_changes (
        seq INTEGER PRIMARY KEY AUTOINCREMENT,
        merchant_id TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('added', 'changed', 'removed')),
        origin TEXT NOT NULL CHECK (origin IN ('seed', 'generated', 'admin', 'import')),
        changed_at TEXT NOT NULL
      );
      CREATE INDEX merchant_changes_time ON merchant_changes(changed_at);
      -- Versions name this database's log: a list from another database (reset, restored) is
      -- never taken for one of ours.
      INSERT INTO meta (key, value) VALUES ('merchant_list_epoch', lower(hex(randomblob(4))))
        ON CONFLICT (key) DO NOTHING;
      INSERT INTO meta (key, value) VALUES ('merchant_changes_floor', '0')
        ON CONFLICT (key) DO NOTHING;
      DELETE FROM meta WHERE key = 'merchants_version';
    `,
  },
  {
    name: 'membership tiers and payouts',
    sql: `
      -- A member's tier decides their rate at the merchants that pay tiers more (docs/portal-api.md §5).
      ALTER TABLE members ADD COLUMN tier TEXT NOT NULL DEFAULT 'free'
        CHECK (tier IN ('free', 'premium'));
      -- Kept beside the merchants table (not in it): a merchant's rate per tier, as its JSON.
      CREATE TABLE merchant_tier_rates (
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        tier TEXT NOT NULL CHECK (tier IN ('free', 'premium')),
        cashback TEXT NOT NULL,
        PRIMARY KEY (merchant_id, tier)
      );
      -- The account a member's transfers go to. Never sent whole: the API masks it.
      CREATE TABLE bank_accounts (
        member_id INTEGER PRIMARY KEY REFERENCES members(id) ON DELETE CASCADE,
        iban TEXT NOT NULL CHECK (length(iban) BETWEEN 15 AND 34),
        holder TEXT NOT NULL,
        updated_at TEXT NOT NULL
      );
      -- A payout moves money out of the confirmed balance: requested, then paid or failed (the
      -- money then counts as confirmed again). Balances stay derived: confirmed = confirmed
      -- cashback - (amount + fee) of the payouts requested or paid; paid = 'paid' cashback +
      -- (amount + fee) of the payouts paid. One row per Idempotency-Key of a member.
      CREATE TABLE payouts (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES members(id),
        idempotency_key TEXT NOT NULL,
        request_hash TEXT NOT NULL,
        method TEXT NOT NULL CHECK (method IN ('transfer', 'voucher', 'donation')),
        amount INTEGER NOT NULL CHECK (amount > 0 AND amount <= 9007199254740991),
        fee INTEGER NOT NULL CHECK (fee >= 0 AND fee <= 9007199254740991),
        currency TEXT NOT NULL CHECK (length(currency) = 3),
        status TEXT NOT NULL CHECK (status IN ('requested', 'paid', 'failed')),
        -- transfer: the masked account; voucher: the brand's id; donation: the charity's id.
        target TEXT NOT NULL,
        target_name TEXT NOT NULL,
        voucher_code TEXT,
        requested_at TEXT NOT NULL,
        settled_at TEXT,
        CHECK ((status = 'requested') = (settled_at IS NULL)),
        CHECK (voucher_code IS NULL OR (method = 'voucher' AND status = 'paid')),
        UNIQUE (member_id, idempotency_key)
      );
      CREATE INDEX payouts_member ON payouts(member_id, id DESC);
      CREATE INDEX payouts_target ON payouts(method, target, status);

      -- What the code checks, the database holds too: no payout may take the confirmed balance
      -- below zero, whichever connection or process inserts it.
      CREATE TRIGGER payouts_no_overdraw BEFORE INSERT ON payouts
      WHEN NEW.status != 'failed' AND
        (SELECT coalesce(sum(cashback), 0) FROM transactions
           WHERE member_id = NEW.member_id AND status = 'confirmed')
        - (SELECT coalesce(sum(amount + fee), 0) FROM payouts
           WHERE member_id = NEW.member_id AND status IN ('requested', 'paid'))
        < NEW.amount + NEW.fee
      BEGIN
        SELECT RAISE(ABORT, 'insufficient_balance');
      END;
      -- Requested, then paid or failed, once: a settled payout never moves again.
      CREATE TRIGGER payouts_settle_once BEFORE UPDATE OF status ON payouts
      WHEN OLD.status != 'requested' OR NEW.status = 'requested'
      BEGIN
        SELECT RAISE(ABORT, 'payout_settled');
      END;
      CREATE TRIGGER payouts_fixed BEFORE UPDATE OF member_id, idempotency_key, request_hash,
        method, amount, fee, currency, target ON payouts
      BEGIN
        SELECT RAISE(ABORT, 'payout_fixed');
      END;
      CREATE TRIGGER payouts_kept BEFORE DELETE ON payouts
      BEGIN
        SELECT RAISE(ABORT, 'payout_kept');
      END;
      -- Confirmed cashback already withdrawn cannot be taken back (cancelled, changed, deleted).
      CREATE TRIGGER transactions_no_overdraw_update BEFORE UPDATE OF status, cashback, member_id
        ON transactions
      WHEN OLD.status = 'confirmed' AND
        (SELECT coalesce(sum(cashback), 0) FROM transactions
           WHERE member_id = OLD.member_id AND status = 'confirmed')
        - (CASE WHEN NEW.status = 'confirmed' AND NEW.member_id = OLD.member_id
             THEN OLD.cashback - NEW.cashback ELSE OLD.cashback END)
        - (SELECT coalesce(sum(amount + fee), 0) FROM payouts
           WHERE member_id = OLD.member_id AND status IN ('requested', 'paid'))
        < 0
      BEGIN
        SELECT RAISE(ABORT, 'insufficient_balance');
      END;
      CREATE TRIGGER transactions_no_overdraw_delete BEFORE DELETE ON transactions
      WHEN OLD.status = 'confirmed' AND
        (SELECT coalesce(sum(cashback), 0) FROM transactions
           WHERE member_id = OLD.member_id AND status = 'confirmed')
        - OLD.cashback
        - (SELECT coalesce(sum(amount + fee), 0) FROM payouts
           WHERE member_id = OLD.member_id AND status IN ('requested', 'paid'))
        < 0
      BEGIN
        SELECT RAISE(ABORT, 'insufficient_balance');
      END;
    `,
  },
  {
    name: 'order terms and claims',
    sql: `
      -- What a merchant's entry says about the time after a purchase (OrderTerms, since 1.3),
      -- as JSON: its own table, so that the merchants table keeps its shape.
      CREATE TABLE merchant_order_terms (
        merchant_id TEXT PRIMARY KEY REFERENCES merchants(id),
        terms TEXT NOT NULL
      );
      -- A member's claim for an order whose cashback never showed. One per order reference of a
      -- merchant: a second claim for the same order is the first one.
      CREATE TABLE claims (
        id INTEGER PRIMARY KEY,
        member_id INTEGER NOT NULL REFERENCES members(id),
        merchant_id TEXT NOT NULL REFERENCES merchants(id),
        click_id TEXT NOT NULL REFERENCES clicks(id),
        order_ref TEXT NOT NULL,
        ordered_at TEXT NOT NULL,
        order_amount INTEGER NOT NULL CHECK (order_amount > 0),
        currency TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('submitted', 'accepted', 'rejected')),
        reason TEXT,
        transaction_id INTEGER REFERENCES transactions(id),
        -- The request's Idempotency-Key and what it asked (a hash): a retry gets this claim, a
        -- different request under the same key is refused.
        idempotency_key TEXT,
        request_hash TEXT NOT NULL,
        submitted_at TEXT NOT NULL,
        decided_at TEXT,
        UNIQUE (merchant_id, order_ref)
      );
      CREATE UNIQUE INDEX claims_idempotency ON claims(member_id, idempotency_key)
        WHERE idempotency_key IS NOT NULL;
      CREATE INDEX claims_member ON claims(member_id, submitted_at DESC, id DESC);
      CREATE INDEX claims_status ON claims(status, submitted_at DESC, id DESC);
    `,
  },
];
