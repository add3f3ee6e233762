import { encodeFrame } from '@duckwire/protocol';
import { describe, expect, it } from 'vitest';
import { useServerAndClient } from './support/test-server.js';

const fixture = useServerAndClient();

describe('a baseline connection (no duckwire.v1 subprotocol)', () => {
  it.each([
    ['params', { type: 'arrow', sql: 'select ? as x', params: [1] }],
    ['stream', { type: 'arrow', sql: 'select 1', stream: true }],
    ['timeoutMs', { type: 'exec', sql: 'select 1', timeoutMs: 100 }],
    ['temporal', { type: 'json', sql: 'select 1', temporal: 'iso' }],
  ])('refuses the v1 field %s with not_negotiated for that query', async (feature, message) => {
    const queryId = `nn-${feature}`;
    fixture.client.send({ ...message, queryId });
    const reply = await fixture.client.terminal(queryId);
    expect(reply).toMatchObject({ type: 'error', queryId, code: 'not_negotiated' });
    if (reply.type === 'error') expect(reply.error).toContain(feature);
  });

  it.each(['fetch', 'beginSession', 'endSession'])('refuses the v1 message %s with not_negotiated', async (type) => {
    const queryId = `nn-${type}`;
    fixture.client.send(type === 'fetch' ? { type, queryId, rows: 1 } : { type, queryId });
    expect(await fixture.client.terminal(queryId)).toMatchObject({ type: 'error', queryId, code: 'not_negotiated' });
  });

  it('refuses v1 binary headers with not_negotiated', async () => {
    fixture.client.sendBinary(encodeFrame({ type: 'uploadChunk', queryId: 'nn-chunk' }, new Uint8Array(0)));
    expect(await fixture.client.terminal('nn-chunk')).toMatchObject({ type: 'error', code: 'not_negotiated' });
    fixture.client.sendBinary(
      encodeFrame({ type: 'uploadArrow', queryId: 'nn-up', tableName: 't', chunked: true }, new Uint8Array(0)),
    );
    expect(await fixture.client.terminal('nn-up')).toMatchObject({ type: 'error', code: 'not_negotiated' });
  });

  it('answers ping with pong, echoing its id', async () => {
    fixture.client.send({ type: 'ping', id: 'p-1' });
    expect(await fixture.client.waitFor((reply) => reply.type === 'pong')).toMatchObject({ type: 'pong', id: 'p-1' });
    fixture.client.send({ type: 'ping' });
    const pong = await fixture.client.waitFor((reply) => reply.type === 'pong');
    expect(pong).toEqual({ type: 'pong', kind: 'text' });
  });

  it('still runs the same query without v1 fields', async () => {
    const reply = await fixture.client.query('json', 'select 1 as x');
    expect(reply).toMatchObject({ type: 'json', data: '[{"x":1}]' });
  });
});
