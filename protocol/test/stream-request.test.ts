// The field rules of v1 streamed requests (docs/protocol.md, "Streamed results and cursors").
import { describe, expect, it } from 'vitest';
import { type ClientMessage, streamRequestProblem } from '../src/index.js';

describe('streamRequestProblem', () => {
  it.each([
    [{ type: 'arrow', sql: 'select 1', stream: true }],
    [{ type: 'arrow', sql: 'select 1', stream: true, fetchRows: 10, compression: 'zstd' }],
    [{ type: 'arrow', sql: 'select 1', compression: 'lz4' }],
    [{ type: 'arrow', sql: 'select 1', persist: true }],
    [{ type: 'json', sql: 'select 1' }],
    [{ type: 'cancel', queryId: 'q' }],
  ] as ClientMessage[][])('accepts %j', (message) => {
    expect(streamRequestProblem(message)).toBeUndefined();
  });

  it.each([
    [{ type: 'json', sql: 'select 1', stream: true }, 'stream requires type arrow'],
    [{ type: 'exec', sql: 'select 1', fetchRows: 5 }, 'fetchRows requires type arrow'],
    [{ type: 'json', sql: 'select 1', compression: 'zstd' }, 'compression requires type arrow'],
    [{ type: 'arrow', sql: 'select 1', fetchRows: 5 }, 'fetchRows requires stream: true'],
    [{ type: 'arrow', sql: 'select 1', stream: true, persist: true }, 'stream cannot be combined with persist'],
  ] as [ClientMessage, string][])('refuses %j', (message, problem) => {
    expect(streamRequestProblem(message)).toBe(problem);
  });
});
