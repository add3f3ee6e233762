// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) with a page that bundles the client.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type Browser, type Page, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

/** Whether Chromium is installed. CI installs it (.ci/run), so there the tests never skip. */
export const chromiumAvailable = existsSync(CHROMIUM);

const FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Launch Chromium. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, args: FLAGS, headless: true });
}

let bundle: Promise<string> | undefined;

/** The test page's script: `test/browser/page.ts` bundled for browsers (the `browser` condition, no Node built-ins). */
export function pageBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('../browser/page.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: 'chrome120',
    write: false,
    logLevel: 'silent',
  }).then((result) => result.outputFiles[0]?.text ?? '');
  return bundle;
}

/** A new page with the bundle loaded (`globalThis.duckwire`, `globalThis.arrow`). */
export async function openPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  await page.setContent('<!doctype html><title>duckwire client test</title>');
  await page.addScriptTag({ content: await pageBundle() });
  return page;
}
