// Size of the client's browser entry as an app would ship it: bundled, minified, gzip'd, apache-arrow excluded
// (it is the app's own peer dependency). Prints the figures; `pnpm size`.
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const result = await build({
  entryPoints: [new URL('../src/index.ts', import.meta.url).pathname],
  bundle: true,
  minify: true,
  format: 'esm',
  platform: 'browser',
  target: 'es2022',
  external: ['apache-arrow'],
  write: false,
  metafile: true,
  logLevel: 'silent',
});
const code = result.outputFiles[0].contents;
const kib = (bytes) => `${(bytes / 1024).toFixed(1)} KiB`;
const inputs = Object.entries(result.metafile.outputs)[0][1].inputs;
const byPackage = {};
for (const [path, { bytesInOutput }] of Object.entries(inputs)) {
  const name = /node_modules\/(?:\.pnpm\/[^/]+\/node_modules\/)?((?:@[^/]+\/)?[^/]+)/.exec(path)?.[1] ?? (path.includes('protocol/') ? '@duckwire/protocol' : '@duckwire/client');
  byPackage[name] = (byPackage[name] ?? 0) + bytesInOutput;
}
console.log(`browser bundle of @duckwire/client without apache-arrow: ${kib(code.byteLength)} minified, ${kib(gzipSync(code, { level: 9 }).byteLength)} minified+gzip`);
for (const [name, bytes] of Object.entries(byPackage).sort((a, b) => b[1] - a[1])) console.log(`  ${name}: ${kib(bytes)} minified`);
