import { describe, expect, it } from 'vitest';
import { SUBPROTOCOL_V1, selectSubprotocol, v1FeatureOf, validateClientMessage } from '../src/index.js';

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
      expect(v1FeatureOf(message(value))).toBeUndefined();
    }
  });
  it('names the v1 field or type a message uses', () => {
    expect(v1FeatureOf(message({ type: 'arrow', sql: 'x', params: [1] }))).toBe('params');
    expect(v1FeatureOf(message({ type: 'arrow', sql: 'x', stream: true }))).toBe('stream');
    expect(v1FeatureOf(message({ type: 'json', sql: 'x', temporal: 'iso' }))).toBe('temporal');
    expect(v1FeatureOf(message({ type: 'exec', sql: 'x', timeoutMs: 5 }))).toBe('timeoutMs');
    expect(v1FeatureOf(message({ type: 'fetch', queryId: 'q', rows: 1 }))).toBe('fetch');
    expect(v1FeatureOf(message({ type: 'beginSession' }))).toBe('beginSession');
    expect(v1FeatureOf({ type: 'uploadArrow', tableName: 't', chunked: true })).toBe('chunked');
    expect(v1FeatureOf({ type: 'uploadChunk', queryId: 'u' })).toBe('uploadChunk');
  });
});
