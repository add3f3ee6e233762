#!/usr/bin/env node
// The client-mode driver of @duckwire/client (docs/conformance.md#client-mode): the conformance
// suite runs it once per client scenario against its scripted server. It performs the action with
// our client, exactly as an app would, and prints the outcome as one JSON line.
import { connect } from '@duckwire/client';

const url = process.env.DUCKWIRE_CONFORMANCE_URL;
const action = JSON.parse(process.env.DUCKWIRE_CONFORMANCE_ACTION ?? '{}');

/** Rows as plain JSON: bigints as numbers when exact, else as decimal strings. */
const plain = (rows) =>
  JSON.parse(
    JSON.stringify(rows, (_key, value) =>
      typeof value === 'bigint' ? (Number.isSafeInteger(Number(value)) ? Number(value) : String(value)) : value,
    ),
  );

const outcome = async () => {
  const client = await connect(url, { reconnect: false, queryTimeoutMs: 10_000 });
  try {
    if (action.type === 'exec') {
      await client.exec(action.sql);
      return { ok: true, rows: [] };
    }
    if (action.type === 'json') return { ok: true, rows: plain(await client.json(action.sql)) };
    const table = await client.query(action.sql);
    return { ok: true, rows: plain(table.toArray().map((row) => row.toJSON())) };
  } finally {
    client.close();
  }
};

outcome().then(
  (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
  (error) => process.stdout.write(`${JSON.stringify({ ok: false, error: String(error?.message ?? error) })}\n`),
).finally(() => process.exit(0));
