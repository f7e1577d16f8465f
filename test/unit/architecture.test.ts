/**
 * No import runs upward. The rooms of the code are written once, here, bottom
 * to top (LAYERS): a file may import its own room and any room below it, never
 * one above, nor a sibling (another room of its layer). A few rooms may import
 * only what ONLY names, and a few packages may be imported only by the rooms
 * PACKAGES names. Every .ts file under functions/, cli/, infra/, simulator/ and
 * bench/ sits in one room. Imports are read by TypeScript's own pre-processor
 * (`import`, `import type`, `export … from`, `import()`), so comments do not count.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const S = 'functions/shared/';
/** Time, language and the period checks: what every room may build on. */
const BASICS = [`${S}time.ts`, `${S}language.ts`, `${S}period-input.ts`];

/**
 * The stack, bottom to top; rooms in one layer are siblings. config.ts sits
 * above dataapi/ because a subscription's filter is checked by the client's
 * own validator (dataapi/filter.ts), and infra/ checks its file with config.ts.
 */
const LAYERS: ReadonlyArray<Readonly<Record<string, readonly string[]>>> = [
  { basics: BASICS },
  { 'working-hours': [`${S}working-hours/`] },
  { dataapi: [`${S}dataapi/`] },
  { config: [`${S}config.ts`] },
  { calls: [`${S}calls/`] },
  { 'report/xlsx': [`${S}report/xlsx/`] },
  { 'report/types': [`${S}report/types.ts`] },
  { 'report/i18n': [`${S}report/i18n.ts`, `${S}report/i18n/`] },
  { 'report/format': [`${S}report/format.ts`] },
  { 'report/figures': [`${S}report/figures/`] },
  { 'report/workbook': [`${S}report/workbook/`], 'report/email': [`${S}report/email/`] },
  { 'report/page': [`${S}report/page/`] },
  { pipeline: [`${S}pipeline/`] },
  { 'adapters/mail': [`${S}adapters/mail/`] },
  {
    'adapters/aws': [`${S}adapters/aws/`],
    'adapters/local': [`${S}adapters/local/`],
    'adapters/telegram': [`${S}adapters/telegram/`],
  },
  { http: [`${S}http/`] },
  { lambda: [`${S}lambda/`], cli: ['cli/'] },
  { handlers: ['functions/*/handler.ts'] },
];
/** Rooms outside the stack. bench/ may import anything. */
const OUTSIDE: Readonly<Record<string, readonly string[]>> = {
  simulator: ['simulator/'],
  infra: ['infra/'],
  bench: ['bench/'],
};
/** The only project code these rooms may import besides their own room. */
const ONLY: Readonly<Record<string, readonly string[]>> = {
  handlers: [`${S}lambda/`],
  'working-hours': [`${S}time.ts`], // a small policy: the team's hours on the wall clock
  'report/xlsx': BASICS, // the XLSX engine knows no report
  simulator: [...BASICS, `${S}dataapi/columns.ts`], // never kinder than the API: not built on the client
  infra: [...BASICS, `${S}config.ts`],
};
/** What a room of the stack may import besides the rooms below it. */
const ALSO: Readonly<Record<string, readonly string[]>> = {
  // The admin CLI's sync reads the deploy config file with the stack's own validator.
  cli: ['simulator/', 'infra/config.ts'],
};
/** Packages only these rooms may import (exceljs: the engine reaches into its private internals). */
const PACKAGES: Readonly<Record<string, readonly string[]>> = {
  exceljs: ['report/xlsx', 'bench'],
  '@aws-sdk/': ['adapters/aws', 'lambda', 'cli'],
  '@aws-lambda-powertools/': ['lambda'],
  '@middy/': ['lambda'],
};
const SOURCES = ['functions', 'cli', 'infra', 'simulator', 'bench'];

interface Place {
  room: string;
  layer: number | null;
}
const matches = (path: string, prefix: string): boolean =>
  prefix.includes('*')
    ? new RegExp(`^${prefix.replace(/[.]/g, '\\.').replace('*', '[^/]+')}$`).test(path)
    : prefix.endsWith('/')
      ? path.startsWith(prefix)
      : path === prefix;
const within = (path: string, prefixes: readonly string[]): boolean => prefixes.some((p) => matches(path, p));

/** The room of a file: the one with the longest matching prefix. */
function placeOf(path: string): Place | null {
  let best: (Place & { length: number }) | null = null;
  const consider = (room: string, prefixes: readonly string[], layer: number | null) => {
    for (const p of prefixes)
      if (matches(path, p) && (best === null || p.length > best.length))
        best = { room, layer, length: p.length };
  };
  LAYERS.forEach((rooms, layer) => {
    for (const [room, prefixes] of Object.entries(rooms)) consider(room, prefixes, layer);
  });
  for (const [room, prefixes] of Object.entries(OUTSIDE)) consider(room, prefixes, null);
  return best;
}

const roomPaths = (room: string): readonly string[] =>
  OUTSIDE[room] ?? LAYERS.find((rooms) => room in rooms)?.[room] ?? [];

const aliases = (JSON.parse(readFileSync('package.json', 'utf8')).imports ?? {}) as Record<string, unknown>;

/** A specifier as a repo path, `package:<name>` for a package, or null for an alias that maps to nothing. */
function resolve(from: string, spec: string): string | null {
  if (spec.startsWith('.')) return normalize(join(dirname(from), spec));
  if (!spec.startsWith('#')) return `package:${spec}`;
  for (const [key, value] of Object.entries(aliases)) {
    const target = typeof value === 'string' ? value : (value as { default?: string } | null)?.default;
    const [head, tail = ''] = key.split('*');
    if (typeof target !== 'string' || !spec.startsWith(head as string) || !spec.endsWith(tail)) continue;
    if (!key.includes('*') && spec !== key) continue;
    return normalize(target.replace('*', spec.slice(head?.length, spec.length - tail.length)));
  }
  return null;
}

/** Why `from` may not import `to`, or null when it may. */
function rule(from: Place, to: string): string | null {
  if (to.startsWith('package:')) {
    const name = to.slice('package:'.length);
    const entry = Object.entries(PACKAGES).find(([p]) =>
      p.endsWith('/') ? name.startsWith(p) : name === p || name.startsWith(`${p}/`),
    );
    return entry && !entry[1].includes(from.room)
      ? `only ${entry[1].join(', ')} may import ${entry[0]}`
      : null;
  }
  if (within(to, roomPaths(from.room))) return null;
  const only = ONLY[from.room];
  if (only) return within(to, only) ? null : `${from.room} may import only ${only.join(', ') || 'itself'}`;
  if (from.layer === null || within(to, ALSO[from.room] ?? [])) return null;
  const target = placeOf(to);
  if (!target) return 'in no room';
  if (target.layer === null) return `${target.room}/ is outside the stack; ${from.room} may not import it`;
  if (target.layer > from.layer) return `upward: ${from.room} sits below ${target.room}`;
  if (target.layer === from.layer) return `sideways: ${from.room} and ${target.room} are siblings`;
  return null;
}

/** Every import that breaks a rule, as `file:line → target: rule`. */
function violations(files: ReadonlyMap<string, string>): string[] {
  const out: string[] = [];
  for (const [path, text] of files) {
    const from = placeOf(path);
    if (!from) {
      out.push(`${path}: in no room (add it to LAYERS or OUTSIDE in test/unit/architecture.test.ts)`);
      continue;
    }
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      if (ref.fileName.startsWith('node:')) continue;
      const to = resolve(path, ref.fileName);
      const line = text.slice(0, ref.pos).split('\n').length;
      const why = to === null ? `the alias ${ref.fileName} maps to nothing in package.json` : rule(from, to);
      if (why) out.push(`${path}:${line} → ${to ?? ref.fileName}: ${why}`);
    }
  }
  return out;
}

function sourceFiles(): Map<string, string> {
  const files = new Map<string, string>();
  for (const dir of SOURCES)
    for (const entry of readdirSync(dir, { recursive: true, encoding: 'utf8' }))
      if (entry.endsWith('.ts')) files.set(join(dir, entry), readFileSync(join(dir, entry), 'utf8'));
  return files;
}

describe('the import graph', () => {
  it('has no import running upward, sideways, or past what a room may import', () => {
    const files = sourceFiles();
    expect(files.size).toBeGreaterThan(100);
    expect(violations(files)).toEqual([]);
  });

  it('names each offending import with its file, line, target and rule', () => {
    const file = (lines: string[]) => lines.join('\n');
    const found = violations(
      new Map([
        [
          `${S}pipeline/x.ts`,
          file([
            '// import { no } from "../adapters/aws/clients.ts";',
            "import { a } from '../adapters/aws/clients.ts';",
          ]),
        ],
        [
          `${S}report/email/y.ts`,
          file([
            "export type { B } from '../workbook/tables.ts';",
            "const c = await import('../../http/links.ts');",
          ]),
        ],
        [
          `${S}report/xlsx/z.ts`,
          file(["import type { Summary } from '../types.ts';", "import ExcelJS from 'exceljs';"]),
        ],
        [
          'functions/daily-report/handler.ts',
          file([
            "import { S3Client } from '@aws-sdk/client-s3';",
            "import { r } from '../shared/pipeline/run-report.ts';",
          ]),
        ],
        ['simulator/w.ts', file(["import { fetchCalls } from '../functions/shared/dataapi/client.ts';"])],
        [
          `${S}calls/v.ts`,
          file([
            "import { startSimulator } from '../../../simulator/server.ts';",
            "import ExcelJS from 'exceljs';",
            "import W from 'exceljs/lib/stream/xlsx/workbook-writer.js';",
          ]),
        ],
        [`${S}orphan.ts`, ''],
      ]),
    );
    expect(found).toEqual([
      `${S}pipeline/x.ts:2 → ${S}adapters/aws/clients.ts: upward: pipeline sits below adapters/aws`,
      `${S}report/email/y.ts:1 → ${S}report/workbook/tables.ts: sideways: report/email and report/workbook are siblings`,
      `${S}report/email/y.ts:2 → ${S}http/links.ts: upward: report/email sits below http`,
      `${S}report/xlsx/z.ts:1 → ${S}report/types.ts: report/xlsx may import only ${BASICS.join(', ')}`,
      'functions/daily-report/handler.ts:1 → package:@aws-sdk/client-s3: only adapters/aws, lambda, cli may import @aws-sdk/',
      `functions/daily-report/handler.ts:2 → ${S}pipeline/run-report.ts: handlers may import only ${S}lambda/`,
      `simulator/w.ts:1 → ${S}dataapi/client.ts: simulator may import only ${[...BASICS, `${S}dataapi/columns.ts`].join(', ')}`,
      `${S}calls/v.ts:1 → simulator/server.ts: simulator/ is outside the stack; calls may not import it`,
      `${S}calls/v.ts:2 → package:exceljs: only report/xlsx, bench may import exceljs`,
      `${S}calls/v.ts:3 → package:exceljs/lib/stream/xlsx/workbook-writer.js: only report/xlsx, bench may import exceljs`,
      `${S}orphan.ts: in no room (add it to LAYERS or OUTSIDE in test/unit/architecture.test.ts)`,
    ]);
  });
});

/**
 * The rooms and arrows of the picture in docs/architecture.md. A node is
 * `id["room<br/>what it holds"]` (Mermaid ids cannot hold `/`), an arrow `id --> id`.
 */
function picture(): { rooms: string[]; arrows: Array<[string, string]> } {
  const doc = readFileSync('docs/architecture.md', 'utf8');
  const block = /```mermaid\n([\s\S]*?)```/.exec(doc)?.[1] ?? '';
  const roomOf = new Map<string, string>();
  for (const m of block.matchAll(/^\s+(\w+)\["([^<"]+)/gm)) roomOf.set(m[1] as string, m[2] as string);
  const arrows = [...block.matchAll(/^\s+(\w+) --> (\w+)$/gm)].map(
    (m) =>
      [roomOf.get(m[1] as string) ?? `?${m[1]}`, roomOf.get(m[2] as string) ?? `?${m[2]}`] as [
        string,
        string,
      ],
  );
  return { rooms: [...roomOf.values()], arrows };
}

/** Room pairs (from → to) that at least one real import joins. */
function roomImports(files: ReadonlyMap<string, string>): Set<string> {
  const pairs = new Set<string>();
  for (const [path, text] of files) {
    const from = placeOf(path);
    if (!from) continue;
    for (const ref of ts.preProcessFile(text, true, true).importedFiles) {
      const to = resolve(path, ref.fileName);
      const target = to && !to.startsWith('package:') ? placeOf(to) : null;
      if (target && target.room !== from.room) pairs.add(`${from.room} → ${target.room}`);
    }
  }
  return pairs;
}

describe('the picture in docs/architecture.md', () => {
  it('names exactly the rooms of the import rule, and draws only imports the code has', () => {
    const { rooms, arrows } = picture();
    const ruled = [...LAYERS.flatMap((layer) => Object.keys(layer)), ...Object.keys(OUTSIDE)];
    expect([...rooms].sort()).toEqual([...ruled].sort());
    expect(arrows.length).toBeGreaterThan(20);
    const real = roomImports(sourceFiles());
    const drawn = arrows.map(([a, b]) => `${a} → ${b}`);
    expect(drawn.filter((arrow) => !real.has(arrow))).toEqual([]);
  });
});
