// Type-level proof (checked by `tsc` in the typecheck task) that our connector is a SQLRooms DuckDbConnector,
// against the real @sqlrooms/duckdb-core (a dev dependency only), plus the runtime half of the same claim.
import type { DuckDbConnector, QueryHandle } from '@sqlrooms/duckdb-core';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type WebSocketDuckDbConnector, createWebSocketDuckDbConnector } from '../src/index.js';

describe('types', () => {
  it('createWebSocketDuckDbConnector returns a DuckDbConnector', () => {
    const connector: DuckDbConnector = createWebSocketDuckDbConnector({ wsUrl: 'ws://127.0.0.1:1' });
    expectTypeOf<WebSocketDuckDbConnector>().toExtend<DuckDbConnector>();
    expectTypeOf<ReturnType<WebSocketDuckDbConnector['query']>>().toExtend<QueryHandle>();
    // The SQLRooms WebSocket extras.
    expectTypeOf<WebSocketDuckDbConnector['type']>().toEqualTypeOf<'ws'>();
    expectTypeOf<WebSocketDuckDbConnector['connectionStatus']>().toEqualTypeOf<
      'idle' | 'connecting' | 'connected' | 'disconnected'
    >();
    expect(typeof connector.loadArrow).toBe('function');
  });

  it('the SQLRooms types are real (not any): a wrong object is refused', () => {
    // @ts-expect-error an object without the connector methods is not a DuckDbConnector
    const wrong: DuckDbConnector = { initialize: async () => undefined };
    expect(wrong).toBeDefined();
  });
});
