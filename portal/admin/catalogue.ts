/**
 * The merchant catalogue in the back office: add, change and remove merchants, import a JSON or
 * CSV catalogue, see the list's changes. Every change that changes something is a new version
 * of the list, which installs then fetch as changes (docs/portal-api.md §2b). Entries are
 * validated with the contract's MerchantSchema (merchants.ts); an import is all or nothing.
 *
 * Registered by admin.ts, behind its access check (admin-auth.ts: the key in a header, or the
 * sign-in form's session cookie, with which only the portal's own pages may post).
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { z } from 'zod';
import { formatCashback } from '../api/cashback';
import { errorJson } from '../api/http';
import type { MerchantRecord } from '../api/merchant-record';
import { toEntry, type CatalogueError, type CatalogueResult } from '../api/merchants';
import { CATEGORIES, CATEGORY_IDS } from '../demo/catalog';
import type { PortalContext } from '../context';
import type { Html } from '../layout';
import { catalogueFromCsv } from './csv';

/** A catalogue import: up to 100,000 merchants of ~300 bytes. */
export const IMPORT_MAX_BYTES = 32 * 1024 * 1024;
export const IMPORT_PATHS = ['/admin/api/merchants/import', '/admin/marchands/import'];

const ImportModeSchema = z.enum(['upsert', 'replace']).default('upsert');
const ListQuerySchema = z.object({
  query: z.string().max(200).default(''),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** The admin's view of a merchant: its wire entry and what only the portal keeps. */
function adminEntry(record: MerchantRecord, origin: string) {
  return { ...toEntry(record, origin), category: record.category, color: record.color };
}

function refused(c: Context, errors: CatalogueError[], status: 400 | 409 = 400): Response {
  const first = errors[0];
  const where = first?.row !== undefined ? `row ${first.row}: ` : '';
  return c.json(
    {
      error: {
        code: status === 409 ? 'merchant_exists' : 'invalid_merchant',
        message: `${where}${first?.message ?? 'invalid'}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`,
      },
      errors,
    },
    status,
  );
}

/** A catalogue from a request body: JSON (an array, or `{merchants: [...]}`) or CSV. */
function catalogueOf(
  text: string,
  type: string,
  origin: string,
): { ok: true; entries: unknown[] } | { ok: false; errors: CatalogueError[] } {
  if (/^text\/csv\b/i.test(type) || (!/json/i.test(type) && !/^\s*[[{]/.test(text))) {
    return catalogueFromCsv(text, origin);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    return { ok: false, errors: [{ message: 'not JSON (nor CSV with a header row)' }] };
  }
  const entries = Array.isArray(body) ? body : (body as { merchants?: unknown } | null)?.merchants;
  if (!Array.isArray(entries)) {
    return {
      ok: false,
      errors: [{ message: 'a JSON array of merchants, or {"merchants": [...]}' }],
    };
  }
  return { ok: true, entries };
}

export function catalogueRoutes(
  app: Hono,
  ctx: PortalContext,
  adminPage: (c: Context, body: Html) => Html,
): void {
  const { merchants } = ctx.store;

  // ---------- JSON API ----------

  app.get('/admin/api/merchants', (c) => {
    const parsed = ListQuerySchema.safeParse(c.req.query());
    if (!parsed.success) return errorJson(c, 400, 'invalid_request', parsed.error.message);
    const { query, limit } = parsed.data;
    const origin = ctx.publicOrigin();
    return c.json({
      version: merchants.version(),
      merchants: search(merchants.listed(), query)
        .slice(0, limit)
        .map((record) => adminEntry(record, origin)),
    });
  });

  app.get('/admin/api/merchants/changes', (c) => {
    const limit = z.coerce
      .number()
      .int()
      .min(1)
      .max(1000)
      .default(100)
      .safeParse(c.req.query('limit'));
    if (!limit.success) return errorJson(c, 400, 'invalid_request', limit.error.message);
    return c.json({ version: merchants.version(), changes: merchants.recentChanges(limit.data) });
  });

  app.post('/admin/api/merchants/import', async (c) => {
    const mode = ImportModeSchema.safeParse(c.req.query('mode') ?? undefined);
    if (!mode.success) return errorJson(c, 400, 'invalid_request', 'mode: upsert or replace');
    const catalogue = catalogueOf(
      await c.req.text(),
      c.req.header('content-type') ?? '',
      ctx.publicOrigin(),
    );
    if (!catalogue.ok) return refused(c, catalogue.errors);
    const result = merchants.importCatalogue(catalogue.entries, mode.data);
    return result.ok ? c.json(result.value) : refused(c, result.errors);
  });

  app.get('/admin/api/merchants/:id', (c) => {
    const record = merchants.get(c.req.param('id'));
    if (!record) return errorJson(c, 404, 'unknown_merchant', `No merchant ${c.req.param('id')}.`);
    return c.json({
      merchant: adminEntry(record, ctx.publicOrigin()),
      version: merchants.version(),
    });
  });

  app.post('/admin/api/merchants', async (c) => {
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const result = merchants.add(body.value);
    if (!result.ok) {
      const taken = result.errors.some((e) => e.message === 'a merchant already has this id');
      return refused(c, result.errors, taken ? 409 : 400);
    }
    return c.json(
      { merchant: adminEntry(result.value, ctx.publicOrigin()), version: merchants.version() },
      201,
    );
  });

  const change = (partial: boolean) => async (c: Context) => {
    const id = c.req.param('id')!;
    const current = merchants.get(id);
    if (!current) return errorJson(c, 404, 'unknown_merchant', `No merchant ${id}.`);
    const body = await jsonBody(c);
    if (!body.ok) return body.response;
    const input = partial
      ? { ...adminEntry(current, ctx.publicOrigin()), ...(body.value as object) }
      : { id, ...(body.value as object) };
    return answerChange(c, merchants.update(id, input));
  };
  app.put('/admin/api/merchants/:id', change(false));
  // A partial change (the fields sent replace the current ones): `{"cashback": {...}}`.
  app.patch('/admin/api/merchants/:id', change(true));

  function answerChange(
    c: Context,
    result: CatalogueResult<{ record: MerchantRecord; changed: boolean }> | undefined,
  ): Response {
    if (!result) return errorJson(c, 404, 'unknown_merchant', `No merchant ${c.req.param('id')}.`);
    if (!result.ok) return refused(c, result.errors);
    return c.json({
      merchant: adminEntry(result.value.record, ctx.publicOrigin()),
      changed: result.value.changed,
      version: merchants.version(),
    });
  }

  app.delete('/admin/api/merchants/:id', (c) => {
    const id = c.req.param('id');
    if (!merchants.remove(id)) return errorJson(c, 404, 'unknown_merchant', `No merchant ${id}.`);
    return c.json({ removed: id, version: merchants.version() });
  });

  // ---------- pages ----------

  app.get('/admin/marchands', (c) => {
    const query = (c.req.query('q') ?? '').slice(0, 200);
    const found = search(merchants.listed(), query);
    return c.html(
      adminPage(
        c,
        html`<h1>Catalogue des marchands</h1>
          <p>
            Version de la liste : <code data-testid="list-version">${merchants.version()}</code> ·
            ${found.length} marchand(s) ·
            <a href="/admin/marchands/nouveau">Ajouter un marchand</a> ·
            <a href="/admin">Transactions</a>
          </p>
          <form method="get" action="/admin/marchands">
            <label for="q">Rechercher (nom ou identifiant)</label>
            <input id="q" name="q" value="${query}" />
          </form>
          <table data-testid="admin-merchants">
            <thead>
              <tr>
                <th scope="col">Identifiant</th>
                <th scope="col">Nom</th>
                <th scope="col">Domaines</th>
                <th scope="col">Cashback</th>
                <th scope="col">Bannière</th>
              </tr>
            </thead>
            <tbody>
              ${found.slice(0, 200).map(
                (m) =>
                  html`<tr data-merchant-id="${m.id}">
                    <td>
                      <a href="/admin/marchands/${encodeURIComponent(m.id)}">${m.id}</a>
                    </td>
                    <td>${m.name}</td>
                    <td>${m.domains.join(', ')}</td>
                    <td>${formatCashback(m.cashback)}</td>
                    <td>${m.prompts}</td>
                  </tr>`,
              )}
            </tbody>
          </table>
          ${found.length > 200 ? html`<p>Les 200 premiers sont affichés : précisez la recherche.</p>` : ''}
          <h2>Importer un catalogue</h2>
          <form method="post" action="/admin/marchands/import">
            <label for="catalogue">Catalogue (JSON ou CSV avec ligne d’en-tête)</label>
            <textarea id="catalogue" name="catalogue" rows="8" cols="80" required></textarea>
            <label for="mode">Mode</label>
            <select id="mode" name="mode">
              <option value="upsert">Ajouter et modifier</option>
              <option value="replace">Remplacer le catalogue (retire les marchands absents)</option>
            </select>
            <p><button type="submit">Importer</button></p>
          </form>
          <h2>Dernières modifications</h2>
          ${changesTable(merchants.recentChanges(50))}`,
      ),
    );
  });

  app.post('/admin/marchands/import', async (c) => {
    const form = await c.req.parseBody();
    const mode = ImportModeSchema.safeParse(form.mode || undefined);
    const text = typeof form.catalogue === 'string' ? form.catalogue : '';
    const catalogue = catalogueOf(text, '', ctx.publicOrigin());
    const result = catalogue.ok
      ? merchants.importCatalogue(catalogue.entries, mode.success ? mode.data : 'upsert')
      : catalogue;
    if (!result.ok) {
      return c.html(
        adminPage(
          c,
          html`<h1>Import refusé : rien n’a été importé</h1>
            ${errorList(result.errors)}
            <p><a href="/admin/marchands">Retour au catalogue</a></p>`,
        ),
        400,
      );
    }
    const s = result.value;
    return c.html(
      adminPage(
        c,
        html`<h1>Catalogue importé</h1>
          <p class="notice success" data-testid="import-summary">
            ${s.added} ajouté(s), ${s.changed} modifié(s), ${s.removed} retiré(s), ${s.unchanged}
            inchangé(s). Version : <code>${s.version}</code>
          </p>
          <p><a href="/admin/marchands">Retour au catalogue</a></p>`,
      ),
    );
  });

  app.get('/admin/marchands/nouveau', (c) =>
    c.html(adminPage(c, merchantForm(c, undefined, [], undefined))),
  );

  app.post('/admin/marchands/nouveau', async (c) => {
    const input = entryFromForm(await c.req.parseBody(), ctx.publicOrigin());
    const result = merchants.add(input);
    if (!result.ok)
      return c.html(adminPage(c, merchantForm(c, undefined, result.errors, input)), 400);
    return c.redirect(`/admin/marchands/${encodeURIComponent(result.value.id)}?saved=1`, 303);
  });

  app.get('/admin/marchands/:id', (c) => {
    const record = merchants.get(c.req.param('id'));
    if (!record) return c.html(adminPage(c, html`<h1>Marchand inconnu</h1>`), 404);
    return c.html(adminPage(c, merchantForm(c, record, [], undefined)));
  });

  app.post('/admin/marchands/:id', async (c) => {
    const record = merchants.get(c.req.param('id'));
    if (!record) return c.html(adminPage(c, html`<h1>Marchand inconnu</h1>`), 404);
    const input = { ...entryFromForm(await c.req.parseBody(), ctx.publicOrigin()), id: record.id };
    const result = merchants.update(record.id, input);
    if (!result?.ok) {
      const errors = result?.errors ?? [{ message: 'unknown merchant' }];
      return c.html(adminPage(c, merchantForm(c, record, errors, input)), 400);
    }
    return c.redirect(
      `/admin/marchands/${encodeURIComponent(record.id)}?saved=${result.value.changed ? 1 : 0}`,
      303,
    );
  });

  app.post('/admin/marchands/:id/retirer', (c) => {
    merchants.remove(c.req.param('id'));
    return c.redirect('/admin/marchands', 303);
  });

  function merchantForm(
    c: Context,
    record: MerchantRecord | undefined,
    errors: CatalogueError[],
    input: ReturnType<typeof entryFromForm> | undefined,
  ): Html {
    const saved = c.req.query('saved');
    const value = {
      id: input?.id ?? record?.id ?? '',
      name: input?.name ?? record?.name ?? '',
      domains: (input?.domains ?? record?.domains ?? []).join('\n'),
      type: input?.cashback.type ?? record?.cashback.type ?? 'percent',
      amount: input ? input.rawValue : record ? valueText(record) : '',
      currency:
        input?.cashback.currency ??
        (record?.cashback.type === 'amount' ? record.cashback.currency : 'EUR'),
      upTo: input?.cashback.upTo ?? record?.cashback.upTo ?? false,
      prompts: input?.prompts ?? record?.prompts ?? 'allowed',
      paths: (input?.checkoutPaths ?? record?.checkoutPaths ?? []).join('\n'),
      terms: input?.terms ?? record?.terms ?? '',
      category: input?.category ?? record?.category ?? 'bazar',
      logo: input ? input.logoUrl !== undefined : (record?.hasLogo ?? true),
    };
    const action = record
      ? `/admin/marchands/${encodeURIComponent(record.id)}`
      : '/admin/marchands/nouveau';
    return html`<h1>${record ? `Marchand ${record.name}` : 'Nouveau marchand'}</h1>
      <p><a href="/admin/marchands">Retour au catalogue</a></p>
      ${
        saved === '1'
          ? html`<p class="notice success" role="status">
              Enregistré : nouvelle version de la liste <code>${merchants.version()}</code>.
            </p>`
          : saved === '0'
            ? html`<p class="notice" role="status">Rien n’a changé.</p>`
            : ''
      }
      ${errors.length > 0 ? errorList(errors) : ''}
      <form method="post" action="${action}" data-testid="merchant-form">
        <label for="id">Identifiant</label>
        <input id="id" name="id" value="${value.id}" ${record ? 'readonly' : ''} required />
        <label for="name">Nom</label>
        <input id="name" name="name" value="${value.name}" required />
        <label for="domains">Domaines (un par ligne)</label>
        <textarea id="domains" name="domains" rows="3" cols="50">${value.domains}</textarea>
        <label for="type">Type de cashback</label>
        <select id="type" name="type">
          <option value="percent" ${value.type === 'percent' ? 'selected' : ''}>Pourcentage</option>
          <option value="amount" ${value.type === 'amount' ? 'selected' : ''}>Montant fixe</option>
        </select>
        <label for="value">Valeur (pourcentage : 4,5 · montant : 15,00)</label>
        <input id="value" name="value" value="${value.amount}" inputmode="decimal" required />
        <label for="currency">Devise (montant fixe)</label>
        <input id="currency" name="currency" value="${value.currency}" />
        <label
          ><input type="checkbox" name="upTo" value="1" ${value.upTo ? 'checked' : ''} /> « Jusqu’à
          »</label
        >
        <label for="prompts">Bannière sur le site du marchand</label>
        <select id="prompts" name="prompts">
          ${(['allowed', 'checkout-only', 'never'] as const).map(
            (p) =>
              html`<option value="${p}" ${value.prompts === p ? 'selected' : ''}>${p}</option>`,
          )}
        </select>
        <label for="paths">Chemins du panier et de la commande (un par ligne)</label>
        <textarea id="paths" name="checkoutPaths" rows="2" cols="50">${value.paths}</textarea>
        <label for="terms">Conditions</label>
        <input id="terms" name="terms" value="${value.terms}" />
        <label for="category">Catégorie (boutique de démonstration)</label>
        <select id="category" name="category">
          ${CATEGORY_IDS.map(
            (id) =>
              html`<option value="${id}" ${value.category === id ? 'selected' : ''}>
                ${CATEGORIES[id]}
              </option>`,
          )}
        </select>
        <label
          ><input type="checkbox" name="logo" value="1" ${value.logo ? 'checked' : ''} />
          Logo</label
        >
        <p><button type="submit">Enregistrer</button></p>
      </form>
      ${
        record
          ? html`<form
              method="post"
              action="/admin/marchands/${encodeURIComponent(record.id)}/retirer"
            >
              <button type="submit" class="secondary">Retirer de la liste</button>
            </form>`
          : ''
      }`;
  }
}

/** The rate as the form shows it: `4,5` (percent) or `15,00` (an amount in minor units). */
function valueText(record: MerchantRecord): string {
  const { cashback } = record;
  const text =
    cashback.type === 'percent' ? String(cashback.value) : (cashback.value / 100).toFixed(2);
  return text.replace('.', ',');
}

/** A contract entry from the page's form (the catalogue validates it). */
function entryFromForm(form: Record<string, string | File | (string | File)[]>, origin: string) {
  const text = (name: string) => (typeof form[name] === 'string' ? form[name].trim() : '');
  const lines = (name: string) =>
    text(name)
      .split(/[\s,]+/)
      .filter(Boolean);
  const type = text('type') === 'amount' ? 'amount' : 'percent';
  const rawValue = text('value');
  const number = Number(rawValue.replace(/\s/g, '').replace(',', '.'));
  const value = type === 'amount' ? Math.round(number * 100) : number;
  const id = text('id');
  return {
    id,
    name: text('name'),
    domains: lines('domains'),
    cashback:
      type === 'amount'
        ? { type, value, currency: text('currency') || 'EUR', upTo: form.upTo === '1' }
        : { type, value, upTo: form.upTo === '1' },
    prompts: text('prompts') || 'allowed',
    ...(lines('checkoutPaths').length > 0 ? { checkoutPaths: lines('checkoutPaths') } : {}),
    ...(text('terms') ? { terms: text('terms') } : {}),
    ...(text('category') ? { category: text('category') } : {}),
    ...(form.logo === '1' && id ? { logoUrl: `${origin}/logos/${id}.svg` } : {}),
    rawValue,
  } as {
    id: string;
    name: string;
    domains: string[];
    cashback: { type: 'percent' | 'amount'; value: number; currency?: string; upTo: boolean };
    prompts: string;
    checkoutPaths?: string[];
    terms?: string;
    category?: string;
    logoUrl?: string;
    rawValue: string;
  };
}

function search(records: MerchantRecord[], query: string): MerchantRecord[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return records;
  return records.filter(
    (m) => m.id.toLowerCase().includes(needle) || m.name.toLowerCase().includes(needle),
  );
}

function errorList(errors: CatalogueError[]): Html {
  return html`<div class="notice" role="alert">
    <p><strong>${errors.length} erreur(s) :</strong></p>
    <ul data-testid="catalogue-errors">
      ${errors
        .slice(0, 100)
        .map(
          (e) =>
            html`<li>
              ${e.row !== undefined ? `ligne ${e.row}` : ''}${e.id ? ` (${e.id})` : ''}${e.row !== undefined || e.id ? ' : ' : ''}${e.message}
            </li>`,
        )}
    </ul>
  </div>`;
}

function changesTable(changes: ReturnType<PortalContext['store']['merchants']['recentChanges']>) {
  return html`<table data-testid="admin-merchant-changes">
    <thead>
      <tr>
        <th scope="col">N°</th>
        <th scope="col">Date</th>
        <th scope="col">Marchand</th>
        <th scope="col">Changement</th>
        <th scope="col">Par</th>
      </tr>
    </thead>
    <tbody>
      ${changes.map(
        (change) =>
          html`<tr>
            <td>${change.seq}</td>
            <td>${change.changedAt.slice(0, 19).replace('T', ' ')}</td>
            <td>${change.merchantId}</td>
            <td>${{ added: 'ajouté', changed: 'modifié', removed: 'retiré' }[change.action]}</td>
            <td>${change.origin}</td>
          </tr>`,
      )}
    </tbody>
  </table>`;
}

/** The JSON body of an API call, or the 400 that answers it. */
async function jsonBody(
  c: Context,
): Promise<{ ok: true; value: unknown } | { ok: false; response: Response }> {
  try {
    const value: unknown = JSON.parse(await c.req.text());
    if (typeof value !== 'object' || value === null || Array.isArray(value)) {
      return {
        ok: false,
        response: errorJson(c, 400, 'invalid_request', 'A JSON object is expected.'),
      };
    }
    return { ok: true, value };
  } catch {
    return { ok: false, response: errorJson(c, 400, 'invalid_json', 'The body is not JSON.') };
  }
}
