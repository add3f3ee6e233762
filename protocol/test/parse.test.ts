import { describe, expect, it } from 'vitest';
import {
  ClientMessage,
  ErrorCode,
  encodeFrameHead,
  type ParseResult,
  type ProtocolError,
  parseClientFrame,
  parseClientMessage,
  parseServerFrame,
  parseServerMessage,
  ServerMessage,
  validateClientMessage,
  validateServerMessage,
} from '../src/index.js';
import {
  baselineClientHeaders,
  encodeRawFrame,
  baselineClientMessages,
  baselineServerHeaders,
  baselineServerMessages,
  extendedClientMessages,
  extendedServerMessages,
  v1ClientHeaders,
  v1ClientMessages,
  v1ServerHeaders,
  v1ServerMessages,
} from '../src/fixtures.js';

function expectError<T>(result: ParseResult<T>, code: ErrorCode, ...fragments: string[]): ProtocolError {
  expect(result.ok, JSON.stringify(result)).toBe(false);
  if (result.ok) throw new Error('unreachable');
  expect(result.error.code).toBe(code);
  for (const fragment of fragments) expect(result.error.message).toContain(fragment);
  return result.error;
}

const typesOf = (union: { anyOf: { properties: { type: { const: string } } }[] }) =>
  union.anyOf.map((member) => member.properties.type.const).sort();

describe('parseClientMessage', () => {
  it.each([...baselineClientMessages, ...extendedClientMessages])('accepts %s', (text) => {
    const result = parseClientMessage(text);
    expect(result).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('has a valid example for every client message type', () => {
    const seen = new Set([...baselineClientMessages, ...extendedClientMessages, ...v1ClientMessages].map((t) => JSON.parse(t).type));
    expect([...seen].sort()).toEqual(typesOf(ClientMessage as never));
  });

  it('returns the typed message', () => {
    const result = parseClientMessage('{"type":"arrow","sql":"select 1 as x","queryId":"q1"}');
    expect(result.ok).toBe(true);
    if (!result.ok || result.value.type !== 'arrow') throw new Error('expected an arrow query');
    expect(result.value.sql).toBe('select 1 as x');
    expect(result.value.queryId).toBe('q1');
  });

  it.each(['', '{', '{"type":"arrow",}', "{'type':'arrow'}", 'undefined', '{"type":"arrow"} x'])(
    'refuses invalid JSON %j with invalid_json',
    (text) => {
      const error = expectError(parseClientMessage(text), ErrorCode.InvalidJson, 'invalid JSON');
      expect(error.queryId).toBeUndefined();
    },
  );

  it.each(['[]', '[{"type":"arrow","sql":"select 1"}]', '1', 'null', '"arrow"', 'true'])(
    'refuses the non-object %s with invalid_message',
    (text) => {
      expectError(parseClientMessage(text), ErrorCode.InvalidMessage, 'JSON object');
    },
  );

  it.each(['{}', '{"sql":"select 1","queryId":"q1"}', '{"type":1,"sql":"select 1"}', '{"type":null}'])(
    'refuses a missing or non-string type %s with invalid_message',
    (text) => {
      expectError(parseClientMessage(text), ErrorCode.InvalidMessage, '"type"');
    },
  );

  it.each(['query', 'ARROW', 'uploadArrow', 'authAck', 'ok', 'unsubscribed', ''])(
    'refuses the unknown type %j with unknown_type',
    (type) => {
      expectError(parseClientMessage(JSON.stringify({ type, sql: 'select 1' })), ErrorCode.UnknownType, 'unknown');
    },
  );

  it('names the known types in an unknown_type error and truncates a long type', () => {
    const error = expectError(
      parseClientMessage(JSON.stringify({ type: 'x'.repeat(10_000) })),
      ErrorCode.UnknownType,
      'arrow',
      'unsubscribe',
    );
    expect(error.message.length).toBeLessThan(500);
  });

  it.each([
    ['missing sql', { type: 'arrow', queryId: 'q1' }, '/sql'],
    ['missing sql (json)', { type: 'json' }, '/sql'],
    ['missing sql (exec)', { type: 'exec' }, '/sql'],
    ['non-string sql', { type: 'json', sql: 42, queryId: 'q1' }, '/sql'],
    ['null sql', { type: 'exec', sql: null }, '/sql'],
    ['empty sql', { type: 'arrow', sql: '' }, '/sql'],
    ['non-string queryId', { type: 'arrow', sql: 'select 1', queryId: 7 }, '/queryId'],
    ['empty queryId', { type: 'arrow', sql: 'select 1', queryId: '' }, '/queryId'],
    ['too long queryId', { type: 'arrow', sql: 'select 1', queryId: 'q'.repeat(1025) }, '/queryId'],
    ['non-boolean persist', { type: 'json', sql: 'select 1', persist: 'yes' }, '/persist'],
    ['zero maxRows', { type: 'arrow', sql: 'select 1', maxRows: 0 }, '/maxRows'],
    ['fractional maxRows', { type: 'arrow', sql: 'select 1', maxRows: 1.5 }, '/maxRows'],
    ['string maxBytes', { type: 'json', sql: 'select 1', maxBytes: '1000' }, '/maxBytes'],
    ['negative maxBytes', { type: 'json', sql: 'select 1', maxBytes: -1 }, '/maxBytes'],
    ['cancel without queryId', { type: 'cancel' }, '/queryId'],
    ['cancel with a numeric queryId', { type: 'cancel', queryId: 2 }, '/queryId'],
    ['auth with a numeric token', { type: 'auth', token: 1234 }, '/token'],
    ['subscribe without channel', { type: 'subscribe' }, '/channel'],
    ['subscribe with an empty channel', { type: 'subscribe', channel: '' }, '/channel'],
    ['subscribe with a numeric channel', { type: 'subscribe', channel: 5 }, '/channel'],
    ['unsubscribe without channel', { type: 'unsubscribe' }, '/channel'],
    ['notify without channel', { type: 'notify', payload: { op: 'update' } }, '/channel'],
    ['notify with a too long channel', { type: 'notify', channel: 'c'.repeat(257) }, '/channel'],
  ])('refuses %s with invalid_message naming the field', (_name, message, path) => {
    const type = (message as { type: string }).type;
    expectError(parseClientMessage(JSON.stringify(message)), ErrorCode.InvalidMessage, `"${type}"`, path);
  });

  it('accepts auth without a token (a server without auth answers authAck; with auth it is a wrong token)', () => {
    expect(parseClientMessage('{"type":"auth"}')).toEqual({ ok: true, value: { type: 'auth' } });
  });

  it('carries the queryId of a refused message when it had a string queryId', () => {
    const missingSql = expectError(parseClientMessage('{"type":"json","queryId":"q7"}'), ErrorCode.InvalidMessage);
    expect(missingSql.queryId).toBe('q7');
    const badLimit = expectError(
      parseClientMessage('{"type":"arrow","sql":"select 1","queryId":"q8","maxRows":-5}'),
      ErrorCode.InvalidMessage,
    );
    expect(badLimit.queryId).toBe('q8');
    const unknown = expectError(parseClientMessage('{"type":"query","queryId":"q9"}'), ErrorCode.UnknownType);
    expect(unknown.queryId).toBe('q9');
    const noType = expectError(parseClientMessage('{"queryId":"q10"}'), ErrorCode.InvalidMessage);
    expect(noType.queryId).toBe('q10');
  });

  it('carries no queryId when there was none, or it was not a non-empty string', () => {
    for (const text of [
      '{"type":"json"}',
      '{"type":"json","queryId":5}',
      '{"type":"json","queryId":""}',
      '{"type":"cancel","queryId":null}',
    ]) {
      const result = parseClientMessage(text);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.error.queryId).toBeUndefined();
    }
  });

  it('accepts unknown extra fields (forward compatibility) and keeps them', () => {
    const messages = [
      { type: 'arrow', sql: 'select 1', queryId: 'q1', format: 'future', nested: { a: [1] } },
      { type: 'exec', sql: 'select 1', persist: true, maxRows: 10 },
      { type: 'cancel', queryId: 'q1', reason: 'user' },
      { type: 'subscribe', channel: 'c', since: 12 },
      { type: 'auth', token: 't', version: 2 },
    ];
    for (const message of messages) {
      expect(parseClientMessage(JSON.stringify(message))).toEqual({ ok: true, value: message });
    }
  });

  it('accepts any JSON value as a notify payload', () => {
    for (const payload of [null, 0, 'text', [1, 2], { deep: { er: true } }, false]) {
      const message = { type: 'notify', channel: 'c', payload };
      expect(parseClientMessage(JSON.stringify(message))).toEqual({ ok: true, value: message });
    }
  });

  it('never throws on odd input', () => {
    const inputs = ['\u0000', '{"__proto__":{"type":"arrow"}}', '{"type":"arrow","sql":"x","__proto__":null}', '🦆'];
    for (const text of inputs) expect(() => parseClientMessage(text)).not.toThrow();
    expect(parseClientMessage('{"__proto__":{"type":"arrow","sql":"x"}}').ok).toBe(false);
  });
});

describe('validateClientMessage', () => {
  it('validates already-parsed values', () => {
    expect(validateClientMessage({ type: 'exec', sql: 'select 1' })).toEqual({
      ok: true,
      value: { type: 'exec', sql: 'select 1' },
    });
    expectError(validateClientMessage(undefined), ErrorCode.InvalidMessage);
    expectError(validateClientMessage([]), ErrorCode.InvalidMessage);
    expectError(validateClientMessage({ type: 'nope' }), ErrorCode.UnknownType);
  });
});

describe('parseClientFrame', () => {
  const arrowBytes = Uint8Array.from([0xff, 0xff, 0xff, 0xff, 0x10, 0, 0, 0]);

  it.each(baselineClientHeaders)('accepts the header %s and returns the payload', (text) => {
    const header = JSON.parse(text);
    const result = parseClientFrame(encodeRawFrame(header, arrowBytes));
    expect(result).toEqual({ ok: true, value: { header, payload: arrowBytes } });
    if (!result.ok) return;
    expect(result.value.header.type).toBe('uploadArrow');
    expect(result.value.header.tableName).toBe('my_table');
  });

  it('accepts a header without queryId and with quoted, qualified table names', () => {
    for (const tableName of ['t', 's.t', '"my table"', '"db"."main"."t"']) {
      const result = parseClientFrame(encodeRawFrame({ type: 'uploadArrow', tableName }, arrowBytes));
      expect(result.ok).toBe(true);
      if (result.ok) expect(result.value.header.tableName).toBe(tableName);
    }
  });

  it('accepts a frame split as head + payload parts', () => {
    const head = encodeFrameHead({ type: 'uploadArrow', queryId: 'u1', tableName: 't' });
    const bytes = new Uint8Array(head.byteLength + arrowBytes.byteLength);
    bytes.set(head);
    bytes.set(arrowBytes, head.byteLength);
    expect(parseClientFrame(bytes).ok).toBe(true);
  });

  it('refuses an unknown header type with unknown_type', () => {
    for (const type of ['upload', 'arrow', 'json', 'UploadArrow']) {
      expectError(parseClientFrame(encodeRawFrame({ type, queryId: 'u1' }, arrowBytes)), ErrorCode.UnknownType, type);
    }
  });

  it('refuses uploadArrow without tableName with invalid_message, keeping the queryId', () => {
    const error = expectError(
      parseClientFrame(encodeRawFrame({ type: 'uploadArrow', queryId: 'u1' }, arrowBytes)),
      ErrorCode.InvalidMessage,
      '/tableName',
    );
    expect(error.queryId).toBe('u1');
  });

  it('refuses an empty or non-string tableName with invalid_message', () => {
    for (const tableName of ['', 5, null, ['t']]) {
      expectError(
        parseClientFrame(encodeRawFrame({ type: 'uploadArrow', tableName }, arrowBytes)),
        ErrorCode.InvalidMessage,
        '/tableName',
      );
    }
  });

  it('refuses a header without type with invalid_message', () => {
    expectError(parseClientFrame(encodeRawFrame({ tableName: 't' }, arrowBytes)), ErrorCode.InvalidMessage, '"type"');
  });

  it('refuses ill-framed bytes with invalid_frame', () => {
    expectError(parseClientFrame(new Uint8Array(3)), ErrorCode.InvalidFrame);
    expectError(parseClientFrame(Uint8Array.from([0, 0, 0, 2, 0x5b, 0x5d])), ErrorCode.InvalidFrame, 'not_object');
  });
});

describe('parseServerMessage', () => {
  it.each([...baselineServerMessages, ...extendedServerMessages])('accepts %s', (text) => {
    expect(parseServerMessage(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });

  it('has a valid example for every server message type', () => {
    const seen = new Set([...baselineServerMessages, ...extendedServerMessages, ...v1ServerMessages].map((t) => JSON.parse(t).type));
    expect([...seen].sort()).toEqual(typesOf(ServerMessage as never));
  });

  it('keeps the json result data as a string', () => {
    const result = parseServerMessage(String.raw`{"type":"json","queryId":"q2","data":"[{\"x\":1}]"}`);
    if (!result.ok || result.value.type !== 'json') throw new Error('expected a json result');
    expect(result.value.data).toBe('[{"x":1}]');
    expect(JSON.parse(result.value.data)).toEqual([{ x: 1 }]);
  });

  it('refuses invalid JSON, non-objects and unknown types', () => {
    expectError(parseServerMessage('{"type":'), ErrorCode.InvalidJson);
    expectError(parseServerMessage('[]'), ErrorCode.InvalidMessage);
    expectError(parseServerMessage('null'), ErrorCode.InvalidMessage);
    expectError(parseServerMessage('{"type":"arrow","queryId":"q1"}'), ErrorCode.UnknownType);
    expectError(parseServerMessage('{"type":"auth","token":"t"}'), ErrorCode.UnknownType);
  });

  it.each([
    ['ok without queryId', { type: 'ok' }, '/queryId'],
    ['json with array data', { type: 'json', queryId: 'q2', data: [{ x: 1 }] }, '/data'],
    ['json without data', { type: 'json', queryId: 'q2' }, '/data'],
    ['error without error text', { type: 'error', queryId: 'q2' }, '/error'],
    ['error with a numeric code', { type: 'error', error: 'x', code: 5 }, '/code'],
    ['cancelAck without cancelled', { type: 'cancelAck', queryId: 'q2' }, '/cancelled'],
    ['cancelAck with a string cancelled', { type: 'cancelAck', queryId: 'q2', cancelled: 'true' }, '/cancelled'],
    ['subscribed without channel', { type: 'subscribed' }, '/channel'],
    ['notifyAck without channel', { type: 'notifyAck' }, '/channel'],
    ['uploadAck without queryId', { type: 'uploadAck' }, '/queryId'],
  ])('refuses %s with invalid_message naming the field', (_name, message, path) => {
    expectError(parseServerMessage(JSON.stringify(message)), ErrorCode.InvalidMessage, path);
  });

  it('accepts an error without queryId or code, and an unknown code', () => {
    expect(parseServerMessage('{"type":"error","error":"boom"}').ok).toBe(true);
    expect(parseServerMessage('{"type":"error","error":"boom","code":"some_future_code"}').ok).toBe(true);
  });

  it('accepts unknown extra fields (forward compatibility)', () => {
    const message = { type: 'ok', queryId: 'q1', elapsedMs: 3, stats: { rows: 0 } };
    expect(parseServerMessage(JSON.stringify(message))).toEqual({ ok: true, value: message });
    expect(validateServerMessage({ type: 'authAck', greeting: 'duckwire' }).ok).toBe(true);
  });
});

describe('parseServerFrame', () => {
  it.each(baselineServerHeaders)('accepts the header %s', (text) => {
    const header = JSON.parse(text);
    const payload = Uint8Array.from([1, 2, 3]);
    expect(parseServerFrame(encodeRawFrame(header, payload))).toEqual({ ok: true, value: { header, payload } });
  });

  it('refuses an arrow header without queryId, and unknown header types', () => {
    const payload = new Uint8Array(1);
    expectError(parseServerFrame(encodeRawFrame({ type: 'arrow' }, payload)), ErrorCode.InvalidMessage, '/queryId');
    expectError(parseServerFrame(encodeRawFrame({ type: 'json', queryId: 'q' }, payload)), ErrorCode.UnknownType);
    expectError(parseServerFrame(new Uint8Array()), ErrorCode.InvalidFrame, 'too_short');
  });
});

describe('duckwire.v1 messages', () => {
  it.each(v1ClientMessages)('parseClientMessage accepts %s', (text) => {
    expect(parseClientMessage(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });
  it.each(v1ServerMessages)('parseServerMessage accepts %s', (text) => {
    expect(parseServerMessage(text)).toEqual({ ok: true, value: JSON.parse(text) });
  });
  it.each(v1ClientHeaders)('parseClientFrame accepts the header %s', (text) => {
    const header = JSON.parse(text);
    const payload = Uint8Array.from([9]);
    expect(parseClientFrame(encodeRawFrame(header, payload))).toEqual({ ok: true, value: { header, payload } });
  });
  it.each(v1ServerHeaders)('parseServerFrame accepts the header %s', (text) => {
    const header = JSON.parse(text);
    const payload = Uint8Array.from([9]);
    expect(parseServerFrame(encodeRawFrame(header, payload))).toEqual({ ok: true, value: { header, payload } });
  });
  it.each([
    ['a typed bigint that is not an integer', { type: 'arrow', sql: 'x', params: [{ $type: 'bigint', value: '1.5' }] }],
    ['an unknown $type', { type: 'arrow', sql: 'x', params: [{ $type: 'money', value: '1' }] }],
    ['a bad date', { type: 'json', sql: 'x', params: { d: { $type: 'date', value: '31/01/2024' } } }],
    ['a bad parameter name', { type: 'json', sql: 'x', params: { 'a-b': 1 } }],
    ['a nested plain list', { type: 'exec', sql: 'x', params: [[[1]]] }],
    ['fetchRows 0', { type: 'arrow', sql: 'x', stream: true, fetchRows: 0 }],
    ['an unknown codec', { type: 'arrow', sql: 'x', compression: 'gzip' }],
    ['an unknown temporal encoding', { type: 'json', sql: 'x', temporal: 'unix' }],
    ['fetch without rows', { type: 'fetch', queryId: 'q' }],
  ])('refuses %s as invalid_message', (_name, message) => {
    expectError(validateClientMessage(message), ErrorCode.InvalidMessage);
  });
});
