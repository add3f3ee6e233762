// Writes one JSON Schema file per message, binary header and union into schemas/.
// Run `pnpm --filter @duckwire/protocol generate` after changing a schema; a test fails
// while the committed files differ from what the schemas generate.
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { schemaCatalog, toJsonSchema } from '../dist/index.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), '..', 'schemas');
mkdirSync(dir, { recursive: true });
for (const file of readdirSync(dir)) if (file.endsWith('.json')) rmSync(join(dir, file));
for (const id of Object.keys(schemaCatalog).sort()) {
  writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(toJsonSchema(id), null, 2)}\n`);
}
console.log(`wrote ${Object.keys(schemaCatalog).length} schemas to ${dir}`);
