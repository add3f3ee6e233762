// Both ends of the apache-arrow peer range: the tables the client returns are instances of the copy the app
// resolves (17.0.0 in the "arrow-17" project, the newest in "arrow-newest"), and uploads made with it load.
import { Table, tableFromArrays } from 'apache-arrow';
import { Table as Table17, tableFromArrays as tableFromArrays17 } from 'apache-arrow-17';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type DuckwireClient, compressionSupported, connect, registerCompressionCodec } from '../src/node.js';
import { useDuckwire } from './support/server.js';

declare module 'vitest' {
  export interface ProvidedContext {
    arrowMajor: number;
  }
}

const duckwire = useDuckwire();
let client: DuckwireClient;
beforeAll(async () => {
  client = await connect(duckwire.url);
});
afterAll(() => client?.close());

describe(`apache-arrow ${inject('arrowMajor')}`, () => {
  it('reads compressed IPC only from 21.1 on: registering a codec with an older one says so', () => {
    const newest = inject('arrowMajor') !== 17;
    expect(compressionSupported()).toBe(newest);
    const register = () => registerCompressionCodec('zstd', (bytes) => bytes);
    if (newest) expect(register).not.toThrow();
    else expect(register).toThrow(/apache-arrow 21.1 or newer/);
  });

  it('returns tables of the app’s own apache-arrow copy', async () => {
    const table = await client.query('select 1::bigint as big, [1, 2] as list, {a: 1} as s, now() as ts');
    expect(table).toBeInstanceOf(Table);
    expect(table instanceof Table17).toBe(inject('arrowMajor') === 17);
    expect(table.getChild('big')?.get(0)).toBe(1n);
    expect(table.getChild('list')?.get(0)?.toArray()).toEqual(Int32Array.from([1, 2]));
  });

  it('uploads a table built with it and reads it back', async () => {
    const table = tableFromArrays({ x: Float64Array.from([1.5, 2.5]), label: ['p', 'q'] });
    await client.upload('range_upload', table);
    const back = await client.query('select * from range_upload order by x');
    expect(back.toArray().map((row) => row.toJSON())).toEqual([
      { x: 1.5, label: 'p' },
      { x: 2.5, label: 'q' },
    ]);
  });

  it('refuses a table from another apache-arrow copy with a clear error', async () => {
    const foreign =
      inject('arrowMajor') === 17
        ? (Object.create({ schema: {}, batches: [] }) as Table)
        : (tableFromArrays17({ x: [1] }) as unknown as Table);
    await expect(client.upload('t', foreign)).rejects.toThrow(/copy @duckwire\/client resolves/);
  });
});
