// SQLRooms code driving our connector: @sqlrooms/duckdb-core's getFunctionSuggestions and
// getFunctionDocumentation take a DuckDbConnector and read its Arrow results (the DuckDB slice of
// @sqlrooms/duckdb does not load in Node: its package index fails on a missing export, see docs/client.md).
import { arrowTableToJson, getFunctionDocumentation, getFunctionSuggestions } from '@sqlrooms/duckdb-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createWebSocketDuckDbConnector } from '../src/node.js';
import { useDuckwire } from './support/server.js';

const duckwire = useDuckwire();
let connector: ReturnType<typeof createWebSocketDuckDbConnector>;
beforeAll(async () => {
  connector = createWebSocketDuckDbConnector({ wsUrl: duckwire.url });
  await connector.initialize();
});
afterAll(() => connector?.destroy());

describe('@sqlrooms/duckdb-core driving the connector', () => {
  it('getFunctionSuggestions lists DuckDB functions through our query()', async () => {
    const suggestions = await getFunctionSuggestions(connector, 'string_sp', 10);
    expect(suggestions.map((s: { name: string }) => s.name)).toContain('string_split');
  });

  it('getFunctionDocumentation reads a function’s documentation', async () => {
    const documentation = await getFunctionDocumentation(connector, 'upper');
    expect(JSON.stringify(documentation)).toMatch(/upper/i);
  });

  it('arrowTableToJson reads our tables', async () => {
    const table = await connector.query("select 1 as id, 'x' as name");
    expect(arrowTableToJson(table)).toEqual([{ id: 1, name: 'x' }]);
  });
});
