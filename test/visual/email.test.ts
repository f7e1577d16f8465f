/**
 * The email as a person sees it, in headless Chromium, on a phone (360×640),
 * at the mail column's own width (600×800) and on a desktop (1000×800): it
 * never scrolls sideways, the headline tiles and the first clients to call are
 * on the first screen, and every `tel:` link dials the number it shows.
 *
 * Each page is kept as a picture in test/visual/artifacts/ (git-ignored):
 * `<email>-<width>x<height>.png` (the first screen) and `…-full.png`.
 * Run by `npm run test:visual` (needs Debian's chromium; `.ci/run` installs it).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withClients } from '../support/clients.ts';
import { busyDay, demoEmail, emailOf, monthSoFar } from './emails.ts';
import { type Browser, startChromium } from './support/chromium.ts';
import { type EmailLayout, emailLayout, onFirstScreen } from './support/email-layout.ts';

const ARTIFACTS = join(import.meta.dirname, 'artifacts');
const SIZES = [
  { width: 360, height: 640 },
  { width: 600, height: 800 },
  { width: 1000, height: 800 },
] as const;

let browser: Browser;
const emails: Record<string, string> = {};
/** The layout of each email at each size, `<email>@<width>`. */
const layouts = new Map<string, EmailLayout>();

beforeAll(async () => {
  await mkdir(ARTIFACTS, { recursive: true });
  browser = await startChromium();
  emails['busy-day-ru'] = emailOf(busyDay(), 'ru');
  emails['busy-day-en'] = emailOf(busyDay(), 'en');
  emails['month-so-far-ru'] = emailOf(monthSoFar(), 'ru');
  emails['calm-day-ru'] = emailOf(withClients([]), 'ru');
  emails['demo-ru'] = await demoEmail();
  for (const [name, html] of Object.entries(emails)) {
    for (const size of SIZES) {
      const page = await browser.open(html, size);
      const shot = join(ARTIFACTS, `${name}-${size.width}x${size.height}`);
      await page.screenshot({ path: `${shot}.png` });
      await page.screenshot({ path: `${shot}-full.png`, fullPage: true });
      layouts.set(`${name}@${size.width}`, await emailLayout(page));
      await page.close();
    }
  }
});

afterAll(async () => {
  await browser?.close();
});

function layout(name: string, width: number): EmailLayout {
  const l = layouts.get(`${name}@${width}`);
  if (!l) throw new Error(`no layout of ${name} at ${width}`);
  return l;
}

const NAMES = ['busy-day-ru', 'busy-day-en', 'month-so-far-ru', 'calm-day-ru', 'demo-ru'];
const WITH_CLIENTS = NAMES.filter((n) => n !== 'calm-day-ru');

describe('the email in Chromium', () => {
  it.each(NAMES.flatMap((name) => SIZES.map((s) => [name, s.width] as const)))(
    '%s at %i px never scrolls sideways',
    (name, width) => {
      const l = layout(name, width);
      expect(l.width).toBe(width);
      expect(l.scrollWidth).toBeLessThanOrEqual(l.width);
    },
  );

  it.each(NAMES)('%s: the three tiles are on the first screen of a 360×640 phone', (name) => {
    const l = layout(name, 360);
    expect(l.tiles).toHaveLength(3);
    for (const tile of l.tiles) expect(onFirstScreen(tile, l)).toBe(true);
  });

  it.each(WITH_CLIENTS)(
    '%s: the tiles and the first clients to call are on the first screen at 600×800',
    (name) => {
      const l = layout(name, 600);
      expect(l.tiles).toHaveLength(3);
      for (const tile of l.tiles) expect(onFirstScreen(tile, l)).toBe(true);
      expect(l.clients.length).toBeGreaterThanOrEqual(3);
      for (const row of l.clients.slice(0, 3)) expect(onFirstScreen(row, l)).toBe(true);
    },
  );

  it.each(WITH_CLIENTS.flatMap((name) => SIZES.map((s) => [name, s.width] as const)))(
    '%s at %i px: every tel: link is tel:+digits, dials the number it shows and is not cut off',
    (name, width) => {
      const l = layout(name, width);
      expect(l.tel.length).toBeGreaterThan(0);
      for (const link of l.tel) {
        expect(link.href).toMatch(/^tel:\+[1-9]\d{10,14}$/);
        expect(link.href.slice(4)).toBe(`+${link.text.replace(/\D/g, '')}`);
        expect(link.box.left).toBeGreaterThanOrEqual(0);
        expect(link.box.right).toBeLessThanOrEqual(l.width);
      }
    },
  );

  it('lists the first twenty clients of a busy day, linking those a phone can dial', () => {
    const l = layout('busy-day-ru', 600);
    expect(l.clients).toHaveLength(20);
    // Of the first twenty, one number has no country code: shown, not linked.
    expect(l.tel).toHaveLength(19);
  });

  it('keeps the column at most 600 px wide on a desktop, centred', () => {
    const l = layout('busy-day-ru', 1000);
    const [first, , last] = l.tiles;
    if (!first || !last) throw new Error('no tiles');
    expect(last.right - first.left).toBeLessThanOrEqual(600);
    expect(Math.abs(first.left - (l.width - last.right))).toBeLessThanOrEqual(2);
  });
});
