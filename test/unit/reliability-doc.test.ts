/**
 * RELIABILITY.md cannot rot: every row of its tables names at least one test
 * as `` `file`: `test name` ``, every named file exists, and every named test
 * is declared in that file (an `it.each` by its name template).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

const REF = /`(test\/[\w./-]+\.test\.ts)`: `([^`]+)`/g;

/** The table rows of the document (not the header or separator lines), with their references. */
function rows(doc: string): { row: string; refs: { file: string; name: string }[] }[] {
  const lines = doc.split('\n').filter((l) => l.startsWith('|'));
  return lines
    .filter((l) => !/^\|\s*-/.test(l) && !/^\|\s*(fault|bad input|failure)\s*\|/.test(l))
    .map((row) => ({
      row: row.slice(0, 80),
      refs: [...row.matchAll(REF)].map((m) => ({ file: m[1] ?? '', name: m[2] ?? '' })),
    }));
}

/** The names of the tests declared in a test file: `it('…'`, `test('…'`, `it.each(…)('…'`. */
function testNames(source: string): Set<string> {
  const names = new Set<string>();
  const re = /\b(?:it|test)(?:\.each\s*\([\s\S]*?\)\s*)?\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const m of source.matchAll(re)) names.add((m[2] ?? '').replace(/\\(.)/g, '$1'));
  return names;
}

describe('RELIABILITY.md', () => {
  const doc = read('RELIABILITY.md');
  const all = rows(doc);

  it('has its tables, each row naming at least one test', () => {
    expect(all.length).toBeGreaterThan(30);
    expect(all.filter((r) => r.refs.length === 0).map((r) => r.row)).toEqual([]);
  });

  it('names only test files that exist, and tests they declare', () => {
    const missing: string[] = [];
    for (const { refs } of all) {
      for (const { file, name } of refs) {
        if (!existsSync(new URL(file, root))) missing.push(`${file} (no such file)`);
        else if (!testNames(read(file)).has(name)) missing.push(`${file}: ${name}`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('is what the README’s reliability section points to', () => {
    expect(read('README.md')).toMatch(/\[`?RELIABILITY\.md`?\]\(RELIABILITY\.md\)/);
  });
});
