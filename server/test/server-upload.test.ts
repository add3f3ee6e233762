import { encodeFrame } from '@duckwire/protocol';
import { encodeRawFrame } from '@duckwire/protocol/fixtures';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { describe, expect, it } from 'vitest';
import { useServerAndClient } from './support/test-server.js';

const fixture = useServerAndClient();

const ipc = (rows: number) =>
  tableToIPC(
    tableFromArrays({
      id: Int32Array.from({ length: rows }, (_, i) => i),
      score: Float64Array.from({ length: rows }, (_, i) => i / 2),
      name: Array.from({ length: rows }, (_, i) => `name ${i}`),
    }),
    'stream',
  );

const upload = (tableName: string, payload: Uint8Array, queryId: string) => {
  fixture.client.sendBinary(encodeFrame({ type: 'uploadArrow', queryId, tableName }, payload));
  return fixture.client.terminal(queryId);
};

describe('uploadArrow', () => {
  it('loads an Arrow IPC stream into a table with a quoted three-part name, and replaces it on re-upload', async () => {
    expect(await upload('"memory"."main"."my table"', ipc(5000), 'u1')).toMatchObject({
      type: 'uploadAck',
      queryId: 'u1',
    });
    expect(await fixture.client.rows('select count(*) as n, sum(id) as s, max(name) as m from "my table"')).toEqual([
      { n: 5000, s: 12497500, m: 'name 999' },
    ]);
    expect(await upload('"memory"."main"."my table"', ipc(3), 'u2')).toMatchObject({ type: 'uploadAck' });
    expect(await fixture.client.rows('select count(*) as n from "my table"')).toEqual([{ n: 3 }]);
  });

  it('accepts plain and schema-qualified names', async () => {
    await fixture.client.exec('create schema s');
    expect(await upload('plain_t', ipc(2), 'u3')).toMatchObject({ type: 'uploadAck' });
    expect(await upload('s.t', ipc(4), 'u4')).toMatchObject({ type: 'uploadAck' });
    expect(
      await fixture.client.rows('select (select count(*) from plain_t) as a, (select count(*) from s.t) as b'),
    ).toEqual([{ a: 2, b: 4 }]);
  });

  it('refuses an invalid table name with invalid_table_name and creates nothing', async () => {
    const reply = await upload('t; drop table plain_t', ipc(1), 'u5');
    expect(reply).toMatchObject({ type: 'error', code: 'invalid_table_name', queryId: 'u5' });
    expect(await upload('a.b.c.d', ipc(1), 'u6')).toMatchObject({ code: 'invalid_table_name' });
    expect(await fixture.client.rows('select count(*) as n from plain_t')).toEqual([{ n: 2 }]);
  });

  it('refuses a payload that is not Arrow IPC with upload_failed and keeps the old table', async () => {
    const reply = await upload('plain_t', new TextEncoder().encode('definitely not arrow'), 'u7');
    expect(reply).toMatchObject({ type: 'error', code: 'upload_failed', queryId: 'u7' });
    expect(await fixture.client.rows('select count(*) as n from plain_t')).toEqual([{ n: 2 }]);
  });

  it('refuses an upload header without tableName', async () => {
    fixture.client.sendBinary(encodeRawFrame({ type: 'uploadArrow', queryId: 'u8' }, ipc(1)));
    expect(await fixture.client.terminal('u8')).toMatchObject({ type: 'error', code: 'invalid_message' });
  });
});
