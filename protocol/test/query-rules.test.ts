// What ends a query, and how an aborted result is recognised (docs/protocol.md, "Errors",
// "Ordering guarantees" and "Aborted results").
import { describe, expect, it } from 'vitest';
import {
  ARROW_END_OF_STREAM,
  encodeFrame,
  isAbortedArrowPayload,
  readServerFrame,
  readServerText,
  type ServerMessage,
  terminalQueryIdOf,
  terminalQueryIdOfFrame,
} from '../src/index.js';
import { baselineServerMessages, encodeRawFrame, extendedServerMessages } from '../src/fixtures.js';

const schema = Uint8Array.of(0xff, 0xff, 0xff, 0xff, 8, 0, 0, 0, 1, 2, 3, 4, 5, 6, 7, 8);
const complete = Uint8Array.of(...schema, ...ARROW_END_OF_STREAM);
// What the duckwire server appends to a result it aborts: a huge metadata length, then bogus bytes.
const aborted = Uint8Array.of(...schema, 0xff, 0xff, 0xff, 0xff, 0xf8, 0xff, 0xff, 0x7f, 0xde, 0xad, 0xbe, 0xef);

describe('terminalQueryIdOf', () => {
  it.each([
    [{ type: 'ok', queryId: 'q1' }, 'q1'],
    [{ type: 'json', queryId: 'q2', data: '[]' }, 'q2'],
    [{ type: 'uploadAck', queryId: 'u1' }, 'u1'],
    [{ type: 'error', queryId: 'q3', error: 'x', code: 'query_failed' }, 'q3'],
    [{ type: 'error', queryId: 'q4', error: 'x' }, 'q4'],
    [{ type: 'error', queryId: 'q5', error: 'x', code: 'some_future_code' }, 'q5'],
    [{ type: 'end', queryId: 's1', rows: 5, bytes: 10, batches: 1, elapsedMs: 1 }, 's1'],
  ] as [ServerMessage, string][])('%j ends %s', (message, queryId) => {
    expect(terminalQueryIdOf(message)).toBe(queryId);
  });

  it('a duplicate_query_id error does not end the query it names: that one still runs', () => {
    expect(terminalQueryIdOf({ type: 'error', queryId: 'dup', error: 'x', code: 'duplicate_query_id' })).toBeUndefined();
  });

  it('cancelAck, an error without queryId and the replies of no query end none', () => {
    for (const message of [
      { type: 'cancelAck', queryId: 'q', cancelled: true },
      { type: 'error', error: 'invalid JSON', code: 'invalid_json' },
      { type: 'authAck' },
      { type: 'subscribed', channel: 'c' },
      { type: 'unsubscribed', channel: 'c' },
      { type: 'notify', channel: 'c', payload: 1 },
      { type: 'notifyAck', channel: 'c' },
      { type: 'progress', queryId: 's1', percent: 5 },
      { type: 'paused', queryId: 's1', rows: 1000 },
      { type: 'pong' },
    ] as ServerMessage[]) {
      expect(terminalQueryIdOf(message)).toBeUndefined();
    }
  });
});

describe('aborted results', () => {
  it('an Arrow payload is complete only when it ends with the end-of-stream marker', () => {
    expect(isAbortedArrowPayload(complete)).toBe(false);
    expect(isAbortedArrowPayload(aborted)).toBe(true);
    expect(isAbortedArrowPayload(schema)).toBe(true); // cut at a message boundary
    expect(isAbortedArrowPayload(new Uint8Array())).toBe(true);
  });

  it('a complete Arrow result ends its query; an aborted one does not (its error does)', () => {
    const frame = (payload: Uint8Array) => {
      const read = readServerFrame(encodeFrame({ type: 'arrow', queryId: 'a' }, payload));
      return read;
    };
    const done = frame(complete);
    expect(done.kind).toBe('result');
    if (done.kind === 'result') expect(terminalQueryIdOfFrame(done.frame)).toBe('a');
    expect(frame(aborted)).toEqual({ kind: 'aborted', header: { type: 'arrow', queryId: 'a' } });
  });

  it('the schema and batch frames of a duckwire.v1 stream end nothing: its end or error does', () => {
    const schemaFrame = readServerFrame(encodeFrame({ type: 'schema', queryId: 's1' }, schema));
    expect(schemaFrame.kind).toBe('result');
    if (schemaFrame.kind === 'result') expect(terminalQueryIdOfFrame(schemaFrame.frame)).toBeUndefined();
  });

  it('a binary message that breaks the framing or its header schema is a violation', () => {
    expect(readServerFrame(Uint8Array.of(0, 0)).kind).toBe('invalid');
    expect(readServerFrame(encodeRawFrame({ type: 'arrow', queryId: '' }, complete)).kind).toBe('invalid');
  });

  it('text that is not JSON is an aborted json result; JSON that breaks the schema is a violation', () => {
    expect(readServerText('{"type":"json","queryId":"q","data":"[{\\"x\\":1}\u0000')).toEqual({ kind: 'aborted' });
    expect(readServerText('{"type":"ok"}').kind).toBe('invalid');
    expect(readServerText(JSON.stringify({ type: 'ok', queryId: 'q'.repeat(1025) })).kind).toBe('invalid');
    for (const text of [...baselineServerMessages, ...extendedServerMessages]) {
      expect(readServerText(text)).toEqual({ kind: 'message', message: JSON.parse(text) });
    }
  });
});
