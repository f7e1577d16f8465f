/**
 * Headless Chromium for the tests that look at a page as a person would:
 * Debian's `chromium` package (`/usr/bin/chromium`, installed by `.ci/run`),
 * driven by playwright-core, which downloads no browser of its own.
 *
 * The flags are the ones this machine needs: no sandbox (CI runs as root), no
 * GPU, and nothing that reaches out to the network (background networking,
 * component updates, sync, QUIC), each run in a fresh, empty profile.
 */
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

export type { Page } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  /** A new page of the given size with `html` in it (no network: the page is set, not fetched). */
  open(html: string, size: { width: number; height: number }): Promise<Page>;
  close(): Promise<void>;
}

/** Chromium on a fresh profile with `options`; `close` ends it and removes the profile. */
async function launch(
  options: Parameters<typeof chromium.launchPersistentContext>[1],
): Promise<{ context: BrowserContext; close: () => Promise<void> }> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is not installed at ${CHROMIUM}: apt-get install chromium (or set CHROMIUM_PATH)`,
    );
  }
  const profile = await mkdtemp(join(tmpdir(), 'chromium-profile-'));
  let context: BrowserContext;
  try {
    // The profile is given as Chromium's --user-data-dir, which playwright sets itself from this argument.
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: FLAGS,
      ...options,
    });
  } catch (err) {
    await rm(profile, { recursive: true, force: true });
    throw err;
  }
  return {
    context,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/** Starts Chromium with a fresh profile; `close` ends it and removes the profile. */
export async function startChromium(): Promise<Browser> {
  const { context, close } = await launch({ offline: true });
  return {
    async open(html, size) {
      const page = await context.newPage();
      await page.setViewportSize(size);
      await page.setContent(html, { waitUntil: 'load' });
      return page;
    },
    close,
  };
}

export interface Browsing {
  /** A new page of the given size, at `url`, waiting until it has loaded. */
  visit(url: string, size: { width: number; height: number }): Promise<Page>;
  /** Every URL the browser asked for, in order (pages, redirects, anything they load). */
  requests: string[];
  /** Every console message (CSP violations among them). */
  console: string[];
  close(): Promise<void>;
}

/**
 * Chromium on the network of this machine, with JavaScript switched off: for
 * pages served over local HTTP, as a person with scripts disabled sees them.
 * Every request and console line is kept, so a test can say nothing left the origin.
 */
export async function startBrowsing(): Promise<Browsing> {
  const { context, close } = await launch({
    javaScriptEnabled: false,
    // A Russian manager's phone: pages that cannot know the report's language follow it.
    locale: 'ru-RU',
  });
  const requests: string[] = [];
  const console: string[] = [];
  context.on('request', (r) => requests.push(r.url()));
  context.on('console', (m) => console.push(m.text()));
  return {
    requests,
    console,
    async visit(url, size) {
      const page = await context.newPage();
      await page.setViewportSize(size);
      await page.goto(url, { waitUntil: 'load' });
      return page;
    },
    close,
  };
}
