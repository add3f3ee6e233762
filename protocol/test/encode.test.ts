// The sending side: every encoder writes exactly the baseline's bytes, checks the schema before
// writing, and refuses what a receiver would refuse.
import { describe, expect, it } from 'vitest';
import {
  decodeFrame,
  encodeFrame,
  encodeFrameHead,
  ErrorCode,
  errorReply,
  InvalidOutgoingMessageError,
  JSON_RESULT_TAIL,
  jsonResultHead,
  parseClientMessage,
  parseServerFrame,
  parseServerMessage,
  type ServerMessage,
  stringifyClientMessage,
  stringifyServerMessage,
} from '../src/index.js';
import {
  baselineClientMessages,
  baselineServerHeaders,
  baselineServerMessages,
  extendedClientMessages,
  extendedServerMessages,
} from '../src/fixtures.js';

const tooLong = 'q'.repeat(1025);

describe('stringifyServerMessage', () => {
  it.each([...baselineServerMessages, ...extendedServerMessages])('writes %s byte for byte', (text) => {
    expect(stringifyServerMessage(JSON.parse(text) as ServerMessage)).toBe(text);
  });

  it('writes fields in schema order, whatever order the object was built in', () => {
    const text = stringifyServerMessage({ code: 'cancelled', error: 'Query cancelled', queryId: 'q', type: 'error' });
    expect(text).toBe('{"type":"error","queryId":"q","error":"Query cancelled","code":"cancelled"}');
  });

  it('leaves out undefined optional fields (a notify without payload)', () => {
    expect(stringifyServerMessage({ type: 'notify', channel: 'c', payload: undefined })).toBe(
      '{"type":"notify","channel":"c"}',
    );
  });

  it('refuses a queryId over 1024 characters, an empty channel and an unknown type, writing nothing', () => {
    for (const message of [
      { type: 'ok', queryId: tooLong },
      { type: 'subscribed', channel: '' },
      { type: 'bogus' },
    ] as ServerMessage[]) {
      expect(() => stringifyServerMessage(message)).toThrow(InvalidOutgoingMessageError);
    }
  });

  it('does not compile for a message outside the union', () => {
    // @ts-expect-error queryId is required on ok
    expect(() => stringifyServerMessage({ type: 'ok' })).toThrow(InvalidOutgoingMessageError);
    // @ts-expect-error no such server message
    expect(() => stringifyServerMessage({ type: 'arrow', queryId: 'q' })).toThrow(InvalidOutgoingMessageError);
    // @ts-expect-error cancelled must be a boolean
    expect(() => stringifyServerMessage({ type: 'cancelAck', queryId: 'q', cancelled: 'yes' })).toThrow();
  });
});

describe('errorReply', () => {
  it('turns a ProtocolError into an error reply, queryId only when there is one', () => {
    expect(stringifyServerMessage(errorReply({ code: ErrorCode.InvalidJson, message: 'invalid JSON: x' }))).toBe(
      '{"type":"error","error":"invalid JSON: x","code":"invalid_json"}',
    );
    expect(errorReply({ code: ErrorCode.Cancelled, message: 'Query cancelled', queryId: 'q9' })).toEqual({
      type: 'error',
      queryId: 'q9',
      error: 'Query cancelled',
      code: 'cancelled',
    });
  });

  it('a refused message never hands back a queryId the reply could not carry', () => {
    const parsed = parseClientMessage(JSON.stringify({ type: 'json', queryId: tooLong }));
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.error.queryId).toBeUndefined();
    expect(parseServerMessage(stringifyServerMessage(errorReply(parsed.error))).ok).toBe(true);
  });
});

describe('jsonResultHead', () => {
  it('opens a json result that the escaped rows and JSON_RESULT_TAIL complete', () => {
    const text = `${jsonResultHead('q2')}${JSON.stringify('[{"x":1}]').slice(1, -1)}${JSON_RESULT_TAIL}`;
    expect(text).toBe(String.raw`{"type":"json","queryId":"q2","data":"[{\"x\":1}]"}`);
    expect(parseServerMessage(text).ok).toBe(true);
  });

  it('refuses an invalid queryId', () => {
    expect(() => jsonResultHead(tooLong)).toThrow(InvalidOutgoingMessageError);
  });
});

describe('stringifyClientMessage', () => {
  it.each([...baselineClientMessages, ...extendedClientMessages])('round-trips %s', (text) => {
    const message = JSON.parse(text);
    expect(JSON.parse(stringifyClientMessage(message))).toEqual(message);
    expect(parseClientMessage(stringifyClientMessage(message))).toEqual({ ok: true, value: message });
  });

  it('refuses a query without sql', () => {
    // @ts-expect-error sql is required
    expect(() => stringifyClientMessage({ type: 'json', queryId: 'q' })).toThrow(InvalidOutgoingMessageError);
  });
});

describe('encodeFrameHead / encodeFrame', () => {
  it.each(baselineServerHeaders)('writes the header %s byte for byte', (text) => {
    const head = encodeFrameHead(JSON.parse(text));
    expect(new TextDecoder().decode(head.subarray(4))).toBe(text);
    expect(parseServerFrame(encodeFrame(JSON.parse(text), new Uint8Array([1]))).ok).toBe(true);
  });

  it('refuses a header that breaks its schema', () => {
    expect(() => encodeFrameHead({ type: 'arrow', queryId: tooLong })).toThrow(InvalidOutgoingMessageError);
    // @ts-expect-error tableName is required
    expect(() => encodeFrame({ type: 'uploadArrow', queryId: 'u1' }, new Uint8Array())).toThrow(
      InvalidOutgoingMessageError,
    );
    expect(decodeFrame(encodeFrame({ type: 'uploadArrow', tableName: 't' }, new Uint8Array())).ok).toBe(true);
  });
});
