/**
 * docs/data-api.md's table "Quirks and how we model them" cannot rot: every
 * test it names exists in the file it names, every switch it names is a field
 * of the simulator's `Faults` or `SimulatorOptions`, and every row names a test.
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const root = new URL('../../', import.meta.url);
const read = (path: string): string => readFileSync(new URL(path, root), 'utf8');

interface Row {
  quirk: string;
  model: string;
  tests: { file: string; name: string }[];
  /** What the tests cell holds besides its references (should be nothing). */
  rest: string;
}

/** Splits a Markdown table line into cells, ignoring `|` inside backticks. */
function cells(line: string): string[] {
  const out: string[] = [];
  let cur = '';
  let code = false;
  for (const ch of line.trim().replace(/^\||\|$/g, '')) {
    if (ch === '`') code = !code;
    if (ch === '|' && !code) {
      out.push(cur.trim());
      cur = '';
    } else cur += ch;
  }
  out.push(cur.trim());
  return out;
}

const REF = /`(test\/[\w./-]+\.test\.ts)`: `([^`]+)`/g;

function quirkRows(doc: string): Row[] {
  const start = doc.indexOf('\n## Quirks and how we model them');
  if (start < 0) throw new Error('docs/data-api.md has no section "Quirks and how we model them"');
  const after = doc.indexOf('\n## ', start + 1);
  const section = doc.slice(start, after < 0 ? undefined : after);
  const lines = section.split('\n').filter((l) => l.startsWith('|'));
  return lines.slice(2).map((line) => {
    const [quirk = '', model = '', testsCell = ''] = cells(line);
    const tests = [...testsCell.matchAll(REF)].map((m) => ({ file: m[1] ?? '', name: m[2] ?? '' }));
    const rest = testsCell.replace(REF, '').replace(/<br>/g, '').trim();
    return { quirk, model, tests, rest };
  });
}

/** The names of the tests declared in a test file: `it('…'`, `test('…'`, `it.each(…)('…'`. */
function testNames(source: string): Set<string> {
  const names = new Set<string>();
  const re = /\b(?:it|test)(?:\.each\s*\([\s\S]*?\)\s*)?\(\s*(['"`])((?:\\.|(?!\1)[^\\])*)\1/g;
  for (const m of source.matchAll(re)) names.add((m[2] ?? '').replace(/\\(.)/g, '$1'));
  return names;
}

/** The fields of an interface in `simulator/server.ts`. */
function fieldsOf(source: string, name: string): Set<string> {
  const body = new RegExp(`export interface ${name} \\{([\\s\\S]*?)\\n\\}`).exec(source)?.[1] ?? '';
  return new Set([...body.matchAll(/^ {2}(\w+)\??:/gm)].map((m) => m[1] ?? ''));
}

const rows = quirkRows(read('docs/data-api.md'));

describe('docs/data-api.md: the quirks table', () => {
  it('has rows, and every row names at least one test and nothing else in its tests cell', () => {
    expect(rows.length).toBeGreaterThan(30);
    for (const row of rows) {
      expect(row.tests.length, row.quirk).toBeGreaterThan(0);
      expect(row.rest, row.quirk).toBe('');
    }
  });

  it('names only tests that exist, each in the file it names', () => {
    const missing: string[] = [];
    const cache = new Map<string, Set<string>>();
    for (const row of rows) {
      for (const { file, name } of row.tests) {
        if (!existsSync(new URL(file, root))) {
          missing.push(`${file} (no such file)`);
          continue;
        }
        const names = cache.get(file) ?? testNames(read(file));
        cache.set(file, names);
        if (!names.has(name)) missing.push(`${file}: "${name}"`);
      }
    }
    expect(missing).toEqual([]);
  });

  it('names only simulator switches and options that exist', () => {
    const server = read('simulator/server.ts');
    const known = {
      faults: fieldsOf(server, 'Faults'),
      options: fieldsOf(server, 'SimulatorOptions'),
    };
    expect(known.faults.size).toBeGreaterThan(10);
    const unknown: string[] = [];
    for (const row of rows) {
      for (const m of row.model.matchAll(/`(faults|options)\.(\w+)/g)) {
        const kind = m[1] as keyof typeof known;
        if (!known[kind].has(m[2] ?? '')) unknown.push(`${kind}.${m[2]} (${row.quirk})`);
      }
    }
    expect(unknown).toEqual([]);
  });

  it('reads test names the way they are declared (a guard on the checker itself)', () => {
    const names = testNames(
      [
        "it('plain', () => {});",
        'test("double", () => {});',
        "it.each([['a', { x: 1 }]] as const)('each %s', () => {});",
        "it.each([200, 400])(\n  'each on its own line %i',\n  async () => {},\n);",
        "it('it\\'s escaped', () => {});",
        "split('not a test');",
      ].join('\n'),
    );
    expect([...names]).toEqual(['plain', 'double', 'each %s', 'each on its own line %i', "it's escaped"]);
  });
});
