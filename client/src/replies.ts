/**
 * What each kind of request accepts as its terminal reply, and what it resolves with. A reply of the
 * wrong type is a protocol violation; an Arrow stream that fails to decode is not yet a failure: the
 * protocol says the `error` explaining it follows (an aborted result), so the request waits for it.
 */
import type { Table } from 'apache-arrow';
import { decodeArrowStream, emptyTable } from './arrow.js';
import { ProtocolViolationError } from './errors.js';
import { parseJsonRows } from './json-rows.js';
import { type Reply, errorFromReply } from './link.js';

/** The outcome of one reply: a value, an error, or "keep waiting". */
export type Outcome<T> = { readonly value: T } | { readonly error: Error } | 'wait';

/** Turns replies into an {@link Outcome}; one per request (it may keep state between replies). */
export type ReplyHandler<T> = (reply: Reply, queryId: string) => Outcome<T>;

function replyType(reply: Reply): string {
  return reply.kind === 'text' ? reply.message.type : `binary ${reply.header.type}`;
}

function unexpected(reply: Reply, queryId: string, request: string): Outcome<never> {
  return {
    error: new ProtocolViolationError(`unexpected "${replyType(reply)}" reply to ${request} ${queryId}`, { queryId }),
  };
}

/** An `arrow` query: a binary Arrow result, or `ok` (no result set → empty table). */
export function expectTable(): ReplyHandler<Table> {
  let decodeFailure: Error | undefined;
  return (reply, queryId) => {
    if (reply.kind === 'binary') {
      if (reply.header.type !== 'arrow') return unexpected(reply, queryId, 'arrow query');
      try {
        return { value: decodeArrowStream(reply.payload) };
      } catch (error) {
        decodeFailure = error as Error;
        return 'wait';
      }
    }
    const { message } = reply;
    if (message.type === 'ok') return { value: emptyTable() };
    if (message.type === 'error') {
      const error = errorFromReply(message);
      if (decodeFailure) (error as { cause?: unknown }).cause = decodeFailure;
      return { error };
    }
    return unexpected(reply, queryId, 'arrow query');
  };
}

/** A `json` query: a `json` result whose `data` holds the rows. */
export function expectRows<T>(): ReplyHandler<T[]> {
  return (reply, queryId) => {
    if (reply.kind === 'text') {
      const { message } = reply;
      if (message.type === 'json') {
        try {
          return { value: parseJsonRows<T>(message.data) };
        } catch (error) {
          return {
            error: new ProtocolViolationError(`the rows of json query ${queryId} are not a JSON array`, {
              queryId,
              cause: error,
            }),
          };
        }
      }
      if (message.type === 'error') return { error: errorFromReply(message) };
    }
    return unexpected(reply, queryId, 'json query');
  };
}

/** A reply that only says "done": `ok` for `exec`, `uploadAck` for uploads. */
export function expectAck(type: 'ok' | 'uploadAck', request: string): ReplyHandler<void> {
  return (reply, queryId) => {
    if (reply.kind === 'text') {
      if (reply.message.type === type) return { value: undefined };
      if (reply.message.type === 'error') return { error: errorFromReply(reply.message) };
    }
    return unexpected(reply, queryId, request);
  };
}
