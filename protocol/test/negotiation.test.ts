import { describe, expect, it } from 'vitest';
import { SUBPROTOCOL_V1, selectSubprotocol, v1FeaturesOf, validateClientMessage } from '../src/index.js';

const message = (value: unknown) => {
  const result = validateClientMessage(value);
  if (!result.ok) throw new Error(result.error.message);
  return result.value;
};

describe('selectSubprotocol', () => {
  it('selects duckwire.v1 when offered, among others', () => {
    expect(selectSubprotocol(['duckwire.v1'])).toBe(SUBPROTOCOL_V1);
    expect(selectSubprotocol(['duckwire.v2', 'duckwire.v1', 'graphql-ws'])).toBe('duckwire.v1');
  });
  it('selects none for unknown or no offers (a baseline connection)', () => {
    expect(selectSubprotocol([])).toBe(false);
    expect(selectSubprotocol(['foo', 'duckwire.v9'])).toBe(false);
  });
  it('prefers the first of the supported list', () => {
    expect(selectSubprotocol(['a', 'b'], ['b', 'a'])).toBe('b');
  });
});

describe('v1FeatureOf', () => {
  it('is undefined for every baseline message', () => {
    for (const value of [
      { type: 'auth', token: 't' },
      { type: 'arrow', sql: 'x', queryId: 'q', persist: true, maxRows: 3 },
      { type: 'json', sql: 'x' },
      { type: 'exec', sql: 'x' },
      { type: 'cancel', queryId: 'q' },
      { type: 'subscribe', channel: 'c' },
      { type: 'notify', channel: 'c', payload: 1 },
      { type: 'ping' },
    ]) {
      expect(v1FeaturesOf(message(value))).toEqual([]);
    }
  });
  it('names the v1 fields and types a message uses, with their capabilities', () => {
    const names = (value: unknown) => v1FeaturesOf(value as never).map((f) => `${f.name}:${f.capability}`);
    expect(names(message({ type: 'arrow', sql: 'x', params: [1] }))).toEqual(['params:params']);
    expect(names(message({ type: 'arrow', sql: 'x', stream: true, fetchRows: 5, compression: 'lz4' }))).toEqual([
      'stream:stream',
      'fetchRows:cursor',
      'compression:compression',
    ]);
    expect(names(message({ type: 'json', sql: 'x', temporal: 'iso', progress: true }))).toEqual([
      'progress:progress',
      'temporal:temporal',
    ]);
    expect(names(message({ type: 'exec', sql: 'x', timeoutMs: 5 }))).toEqual(['timeoutMs:timeout']);
    expect(names(message({ type: 'fetch', queryId: 'q', rows: 1 }))).toEqual(['fetch:cursor']);
    expect(names(message({ type: 'beginSession' }))).toEqual(['beginSession:session']);
    expect(names({ type: 'uploadArrow', tableName: 't', chunked: true })).toEqual(['chunked:chunkedUpload']);
    expect(names({ type: 'uploadChunk', queryId: 'u' })).toEqual(['uploadChunk:chunkedUpload']);
    expect(names({ type: 'uploadFile', tableName: 't', format: 'csv' })).toEqual(['uploadFile:fileUpload']);
  });
});
