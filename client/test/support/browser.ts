// Headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core) with a page that bundles the client.
import { existsSync } from 'node:fs';
import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
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

let pageServer: Promise<{ server: Server; origin: string }> | undefined;

/** Serve the test page from a loopback origin (`http://127.0.0.1:…`), as an app would be served in development. */
function servePage(): Promise<{ server: Server; origin: string }> {
  pageServer ??= pageBundle().then(
    (script) =>
      new Promise((resolve) => {
        const html = `<!doctype html><meta charset="utf-8"><title>duckwire client test</title><script>${script.replaceAll('</script', '<\\/script')}</script>`;
        const server = createServer((_request, response) => {
          response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
          response.end(html);
        });
        server.listen(0, '127.0.0.1', () =>
          resolve({ server, origin: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }),
        );
      }),
  );
  return pageServer;
}

/** Stop the page server (after the last page). */
export async function stopPageServer(): Promise<void> {
  const served = await pageServer;
  pageServer = undefined;
  await new Promise((resolve) => served?.server.close(resolve) ?? resolve(undefined));
}

/** A new page with the bundle loaded (`globalThis.duckwire`, `globalThis.arrow`). */
export async function openPage(browser: Browser): Promise<Page> {
  const page = await browser.newPage();
  page.on('pageerror', (error) => console.error('page error:', error));
  const { origin } = await servePage();
  await page.goto(`${origin}/`);
  return page;
}
