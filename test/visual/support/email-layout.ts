/**
 * What a person sees of the email in the browser: the page's width against the
 * screen's, and where the tiles, the rows of the call-first list and the
 * `tel:` links are, in CSS pixels from the top left of the first screen.
 * Read in the page itself (the script below runs in Chromium, not in Node).
 */
import type { Page } from 'playwright-core';

export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

export interface EmailLayout {
  /** The screen (`innerWidth` × `innerHeight`). */
  width: number;
  height: number;
  /** `document.scrollingElement.scrollWidth`: wider than `width` means the page scrolls sideways. */
  scrollWidth: number;
  /** The three headline tiles (each the box around its cells), left to right. */
  tiles: Box[];
  /** The rows of the call-first list, in order. */
  clients: Box[];
  /** Every `tel:` link: its target, its text, where it is. */
  tel: Array<{ href: string; text: string; box: Box }>;
}

const MEASURE = `(() => {
  const box = (el) => {
    const r = el.getBoundingClientRect();
    return { left: r.left, top: r.top, right: r.right, bottom: r.bottom };
  };
  return {
    width: window.innerWidth,
    height: window.innerHeight,
    scrollWidth: document.scrollingElement.scrollWidth,
    // A tile is a column of cells (label, figure, notes): the box around them.
    tiles: Object.values(
      [...document.querySelectorAll('[data-tile]')].reduce((tiles, el) => {
        const b = box(el);
        const t = tiles[el.dataset.tile];
        tiles[el.dataset.tile] = t
          ? { left: Math.min(t.left, b.left), top: Math.min(t.top, b.top), right: Math.max(t.right, b.right), bottom: Math.max(t.bottom, b.bottom) }
          : b;
        return tiles;
      }, {}),
    ),
    clients: [...document.querySelectorAll('[data-call-first] [data-client]')].map(box),
    tel: [...document.querySelectorAll('a[href^="tel:"]')].map((a) => ({
      href: a.getAttribute('href'),
      text: a.textContent,
      box: box(a),
    })),
  };
})()`;

export async function emailLayout(page: Page): Promise<EmailLayout> {
  await page.evaluate('window.scrollTo(0, 0)');
  return (await page.evaluate(MEASURE)) as EmailLayout;
}

/** Whether `b` lies wholly inside the first screen of `layout`. */
export function onFirstScreen(b: Box, layout: EmailLayout): boolean {
  return b.left >= 0 && b.top >= 0 && b.right <= layout.width && b.bottom <= layout.height;
}
