/**
 * The XLSX engine (report/xlsx/) reaches into exceljs's private internals (the
 * worksheet stream's pipes, the style registry, the zip's entries), which any
 * release may change: exceljs is pinned to one exact version, the one the lock
 * holds and npm installed, and moves only with the engine's tests.
 */
import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';

const json = (path: string) => JSON.parse(readFileSync(path, 'utf8'));

it('pins exceljs to one exact version, the one the lock holds and npm installed', () => {
  const pinned: string = json('package.json').dependencies.exceljs;
  expect(pinned).toMatch(/^\d+\.\d+\.\d+$/);
  const lock = json('package-lock.json');
  expect(lock.packages[''].dependencies.exceljs).toBe(pinned);
  expect(lock.packages['node_modules/exceljs'].version).toBe(pinned);
  expect(json('node_modules/exceljs/package.json').version).toBe(pinned);
});
