/**
 * `npm run bench [-- group …]`: runs every benchmark group (each `tests/bench/<group>.ts` but this
 * file and the `_` helpers; its default export returns rows), prints one table per group and
 * records them in bench-results/bench.json (groups not run keep their previous figures).
 * Figures are reported, never asserted.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { BenchGroup, BenchRow } from './_shared';

const here = path.dirname(fileURLToPath(import.meta.url));
const outputDir = path.resolve(here, '../../bench-results');

async function groupNames(): Promise<string[]> {
  const files = await readdir(here);
  return files
    .filter((file) => file.endsWith('.ts') && file !== 'run.ts' && !file.startsWith('_'))
    .map((file) => file.slice(0, -3))
    .sort();
}

interface GroupResult {
  at: string;
  node: string;
  cpu: string;
  cores: number;
  rows: BenchRow[];
}

async function previousResults(file: string): Promise<Record<string, GroupResult>> {
  try {
    const saved = JSON.parse(await readFile(file, 'utf8')) as {
      groups?: Record<string, GroupResult>;
    };
    return saved.groups ?? {};
  } catch {
    return {};
  }
}

function printTable(group: string, rows: BenchRow[], seconds: number): void {
  const cells = rows.map((row) => [
    row.metric,
    `${row.value.toLocaleString('en-US')} ${row.unit}`,
    row.goal ?? '',
    row.met === undefined ? '' : row.met ? 'yes' : 'NO',
    row.note ?? '',
  ]);
  const header = ['metric', 'value', 'goal', 'met', 'note'];
  const widths = header.map((title, i) =>
    Math.max(title.length, ...cells.map((c) => c[i]!.length)),
  );
  const line = (cols: string[]) =>
    cols
      .map((col, i) => col.padEnd(widths[i]!))
      .join(' │ ')
      .trimEnd();
  console.log(`\n${group} (${seconds.toFixed(1)} s)`);
  console.log(line(header));
  console.log(widths.map((width) => '─'.repeat(width)).join('─┼─'));
  for (const row of cells) console.log(line(row));
}

async function main(): Promise<void> {
  const available = await groupNames();
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((name) => !available.includes(name));
  if (unknown.length > 0) {
    throw new Error(`unknown group(s) ${unknown.join(', ')}; available: ${available.join(', ')}`);
  }
  const file = path.join(outputDir, 'bench.json');
  const results = await previousResults(file);
  for (const group of wanted.length > 0 ? wanted : available) {
    const module = (await import(pathToFileURL(path.join(here, `${group}.ts`)).href)) as {
      default: BenchGroup;
    };
    const start = performance.now();
    const rows = await module.default();
    printTable(group, rows, (performance.now() - start) / 1000);
    results[group] = {
      at: new Date().toISOString(),
      node: process.version,
      cpu: os.cpus()[0]?.model ?? 'unknown',
      cores: os.cpus().length,
      rows,
    };
  }
  await mkdir(outputDir, { recursive: true });
  await writeFile(file, `${JSON.stringify({ groups: results }, null, 2)}\n`);
  console.log(`\nwritten: ${path.relative(process.cwd(), file)}`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
