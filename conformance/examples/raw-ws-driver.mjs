#!/usr/bin/env node
// A minimal client-mode driver (docs/conformance.md#client-mode): a bare `ws` client that follows
// the protocol's client rules, to show the contract. A client package's driver does the same with
// its own library: read the action from the environment, perform it, print one JSON outcome line.
import { tableFromIPC } from 'apache-arrow';
import WebSocket from 'ws';

const url = process.env.DUCKWIRE_CONFORMANCE_URL;
const action = JSON.parse(process.env.DUCKWIRE_CONFORMANCE_ACTION ?? '{}');
const queryId = 'driver-1';
const done = (outcome) => {
  process.stdout.write(`${JSON.stringify(outcome)}\n`);
  process.exit(0);
};
const ws = new WebSocket(url);
ws.on('open', () => ws.send(JSON.stringify({ type: action.type, sql: action.sql, queryId })));
ws.on('message', (data, isBinary) => {
  if (isBinary) {
    const length = data.readUInt32BE(0);
    const header = JSON.parse(data.subarray(4, 4 + length).toString('utf8'));
    if (header.queryId !== queryId) return;
    try {
      const table = tableFromIPC(data.subarray(4 + length));
      done({ ok: true, rows: table.toArray().map((row) => row.toJSON()) });
    } catch {
      // An aborted result: failed; its error follows.
    }
    return;
  }
  let message;
  try {
    message = JSON.parse(String(data));
  } catch {
    return; // an aborted json result carries no reply
  }
  if (message.queryId !== queryId) return;
  if (message.type === 'ok') done({ ok: true, rows: [] });
  else if (message.type === 'json') done({ ok: true, rows: JSON.parse(message.data) });
  else if (message.type === 'error' && message.code !== 'duplicate_query_id')
    done({ ok: false, error: message.error, code: message.code });
});
ws.on('error', (error) => done({ ok: false, error: String(error) }));
