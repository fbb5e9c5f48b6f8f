/**
 * A merchant catalogue in CSV (RFC 4180: comma-separated, double quotes around a cell that holds
 * a comma, a quote or a line break, a quote doubled inside one), one merchant a row, its header
 * naming the columns, turned into contract entries that the catalogue then validates
 * (merchants.ts) — each with its line number, so that an error says where it is.
 *
 *   id,name,domains,cashbackType,cashbackValue,currency,upTo,checkoutPaths,prompts,terms,logo,
 *   category,color
 *
 * `domains` and `checkoutPaths` hold several values separated by spaces or `|`. `cashbackValue`
 * is a percentage (`4.5` or `4,5`) or, for `amount`, minor units (`1500`). `upTo` and `logo` are
 * `true`/`false` (`oui`/`non`, `1`/`0`). Empty cells are absent fields.
 */

export const CSV_COLUMNS = [
  'id',
  'name',
  'domains',
  'cashbackType',
  'cashbackValue',
  'currency',
  'upTo',
  'checkoutPaths',
  'prompts',
  'terms',
  'logo',
  'category',
  'color',
] as const;
type Column = (typeof CSV_COLUMNS)[number];

const REQUIRED: Column[] = ['id', 'name', 'domains', 'cashbackType', 'cashbackValue'];

export type CsvResult =
  { ok: true; entries: unknown[] } | { ok: false; errors: { row?: number; message: string }[] };

/** The cells of each record, or where the quoting is broken. */
export function parseCsv(
  text: string,
): { ok: true; rows: string[][] } | { ok: false; line: number } {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let quoteLine = 0;
  const input = text.startsWith('\uFEFF') ? text.slice(1) : text;
  for (let i = 0; i < input.length; i++) {
    const c = input[i]!;
    if (quoted) {
      if (c === '"' && input[i + 1] === '"') {
        cell += '"';
        i += 1;
      } else if (c === '"') {
        quoted = false;
      } else {
        if (c === '\n') line += 1;
        cell += c;
      }
      continue;
    }
    if (c === '"' && cell === '') {
      quoted = true;
      quoteLine = line;
    } else if (c === '"') {
      return { ok: false, line };
    } else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && input[i + 1] === '\n') i += 1;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      line += 1;
    } else {
      cell += c;
    }
  }
  if (quoted) return { ok: false, line: quoteLine };
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
  }
  return { ok: true, rows: rows.filter((cells) => cells.some((value) => value.trim() !== '')) };
}

const list = (value: string) => value.split(/[\s|]+/).filter(Boolean);

function yesNo(value: string): boolean | string {
  const folded = value.trim().toLowerCase();
  if (['true', 'oui', 'yes', '1'].includes(folded)) return true;
  if (['false', 'non', 'no', '0'].includes(folded)) return false;
  return value; // left for the schema to refuse
}

function number(value: string): number | string {
  const normalised = value.trim().replace(',', '.');
  return /^-?\d+(\.\d+)?$/.test(normalised) ? Number(normalised) : value;
}

/** The catalogue's entries, or what is wrong with its shape (header, quoting, cell count). */
export function catalogueFromCsv(text: string, portalOrigin: string): CsvResult {
  const parsed = parseCsv(text);
  if (!parsed.ok) {
    return {
      ok: false,
      errors: [{ message: `line ${parsed.line}: a quote is not closed or misplaced` }],
    };
  }
  const [header, ...records] = parsed.rows;
  if (!header) return { ok: false, errors: [{ message: 'empty file: a header row is expected' }] };
  const columns = header.map((name) => name.trim());
  const unknown = columns.filter((name) => !(CSV_COLUMNS as readonly string[]).includes(name));
  const missing = REQUIRED.filter((name) => !columns.includes(name));
  if (unknown.length > 0 || missing.length > 0) {
    return {
      ok: false,
      errors: [
        {
          message: [
            unknown.length > 0 ? `unknown columns: ${unknown.join(', ')}` : '',
            missing.length > 0 ? `missing columns: ${missing.join(', ')}` : '',
            `(expected: ${CSV_COLUMNS.join(',')})`,
          ]
            .filter(Boolean)
            .join('; '),
        },
      ],
    };
  }
  const errors: { row: number; message: string }[] = [];
  const entries = records.map((cells, index) => {
    if (cells.length !== columns.length) {
      errors.push({
        row: index + 1,
        message: `${cells.length} cells, the header has ${columns.length}`,
      });
    }
    const cell = (name: Column) => {
      const value = cells[columns.indexOf(name)]?.trim();
      return value === undefined || value === '' ? undefined : value;
    };
    const type = cell('cashbackType');
    const id = cell('id');
    const logo = cell('logo');
    return {
      id,
      name: cell('name'),
      domains: list(cell('domains') ?? ''),
      cashback: {
        type,
        value: number(cell('cashbackValue') ?? ''),
        ...(cell('currency') ? { currency: cell('currency') } : {}),
        ...(cell('upTo') ? { upTo: yesNo(cell('upTo')!) } : {}),
      },
      ...(cell('checkoutPaths') ? { checkoutPaths: list(cell('checkoutPaths')!) } : {}),
      ...(cell('prompts') ? { prompts: cell('prompts') } : {}),
      ...(cell('terms') ? { terms: cell('terms') } : {}),
      ...(logo !== undefined && yesNo(logo) === true && id
        ? { logoUrl: `${portalOrigin}/logos/${id}.svg` }
        : {}),
      ...(cell('category') ? { category: cell('category') } : {}),
      ...(cell('color') ? { color: cell('color') } : {}),
    };
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, entries };
}
