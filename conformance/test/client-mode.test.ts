/** Client mode against the example driver, and against a driver that breaks the client rules. */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runClientSuite } from '../src/client-mode/run-client-suite.js';

const driver = fileURLToPath(new URL('../examples/raw-ws-driver.mjs', import.meta.url));

describe('client mode', () => {
  it('passes the example driver', { timeout: 120_000 }, async () => {
    const report = await runClientSuite({ command: `node ${driver}` });
    expect(report.results.filter((r) => r.status !== 'pass').map((r) => `${r.id}: ${r.message}`)).toEqual([]);
    expect(report.summary.pass).toBeGreaterThanOrEqual(10);
  });

  it('fails a driver whose client takes duplicate_query_id and unknown types for replies', {
    timeout: 120_000,
  }, async () => {
    const naive = join(tmpdir(), `naive-driver-${process.pid}.mjs`);
    writeFileSync(
      naive,
      `import WebSocket from ${JSON.stringify(fileURLToPath(new URL('../node_modules/ws/wrapper.mjs', import.meta.url)))};
const ws = new WebSocket(process.env.DUCKWIRE_CONFORMANCE_URL);
const action = JSON.parse(process.env.DUCKWIRE_CONFORMANCE_ACTION);
ws.on('open', () => ws.send(JSON.stringify({ type: action.type, sql: action.sql, queryId: 'q' })));
ws.on('message', (data, binary) => { const m = binary ? { type: 'arrow' } : JSON.parse(String(data)); console.log(JSON.stringify(m.type === 'error' ? { ok: false, error: m.error } : { ok: true, rows: [] })); process.exit(0); });
`,
    );
    const report = await runClientSuite({
      command: `node ${naive}`,
      only: ['client.duplicate-not-terminal', 'client.unknown-type-ignored', 'client.arrow-result'],
    });
    expect(report.results.map((r) => [r.id, r.status])).toEqual([
      ['client.arrow-result', 'fail'],
      ['client.unknown-type-ignored', 'fail'],
      ['client.duplicate-not-terminal', 'fail'],
    ]);
  });
});
