/**
 * The "Hostile conditions" tables of docs/testing.md say what was tried against the extension,
 * how many cases and where the test is. This keeps them true: every row names a test that exists,
 * and a count that comes from a named constant matches that constant in the test file.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const root = join(__dirname, '..', '..', '..');
const DOC = 'docs/testing.md';
const doc = readFileSync(join(root, DOC), 'utf8');

interface Row {
  tried: string;
  cases: string;
  file: string;
  title: string;
}

function hostileRows(): Row[] {
  const section = doc.split(/^## /m).find((part) => part.startsWith('Hostile conditions'));
  if (!section) throw new Error(`${DOC} has no "## Hostile conditions" section`);
  return (
    section
      .split('\n')
      // Table rows, without separators and the headers of each sub-table.
      .filter((line) => line.startsWith('|') && !/^\|\s*-/.test(line))
      .filter((line) => !/^\|\s*what was tried\s*\|/.test(line))
      .map((line) => {
        const cells = line
          .slice(1, -1)
          .split(/(?<!\\)\|/)
          .map((cell) => cell.trim());
        const [tried = '', cases = '', , test = ''] = cells;
        const match = /^`([^`]+)`\s*›\s*(.+)$/.exec(test);
        if (!match) throw new Error(`${DOC}: hostile row without "\`file\` › title": ${line}`);
        return { tried, cases, file: match[1]!, title: match[2]!.replace(/\\\|/g, '|') };
      })
  );
}

/** "200 (`RUNS`)" → 200 read from the constant RUNS; "3" → no constant to check. */
function countConstant(cases: string): { count: number; name: string } | undefined {
  const match = /^([\d,]+)[^(]*\(`(\w+)`\)/.exec(cases);
  return match ? { count: Number(match[1]!.replace(/,/g, '')), name: match[2]! } : undefined;
}

describe('docs/testing.md hostile-conditions tables', () => {
  const rows = hostileRows();

  it('lists the hostile cases', () => {
    expect(rows.length).toBeGreaterThanOrEqual(10);
  });

  it.each(rows.map((row) => [row.tried, row] as const))('%s: the test exists', (_, row) => {
    const path = join(root, row.file);
    expect(existsSync(path), row.file).toBe(true);
    const source = readFileSync(path, 'utf8');
    expect(source, `${row.file} has no test titled "${row.title}"`).toContain(row.title);
    const constant = countConstant(row.cases);
    if (constant) {
      const declared = new RegExp(`\\b${constant.name}\\s*=\\s*([\\d_]+)`).exec(source);
      expect(declared, `${row.file} declares no ${constant.name}`).not.toBeNull();
      expect(Number(declared![1]!.replace(/_/g, ''))).toBe(constant.count);
    }
  });
});
