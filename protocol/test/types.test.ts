import { describe, expectTypeOf, it } from 'vitest';
import {
  type ArrowQuery,
  type ClientMessage,
  type ErrorCode,
  type ErrorReply,
  type JsonResult,
  type ParseResult,
  parseClientFrame,
  parseClientMessage,
  parseServerMessage,
  type ServerMessage,
  type UploadArrowHeader,
} from '../src/index.js';

// These assertions are checked by `tsc` (`pnpm typecheck`); at run time they are no-ops.
describe('static types', () => {
  it('ClientMessage narrows by type', () => {
    const describeMessage = (message: ClientMessage): string => {
      switch (message.type) {
        case 'arrow':
        case 'json':
          expectTypeOf(message.sql).toEqualTypeOf<string>();
          expectTypeOf(message.queryId).toEqualTypeOf<string | undefined>();
          expectTypeOf(message.persist).toEqualTypeOf<boolean | undefined>();
          expectTypeOf(message.maxRows).toEqualTypeOf<number | undefined>();
          return message.sql;
        case 'exec':
          expectTypeOf(message).not.toHaveProperty('persist');
          return message.sql;
        case 'cancel':
          expectTypeOf(message.queryId).toEqualTypeOf<string>();
          return message.queryId;
        case 'auth':
          expectTypeOf(message.token).toEqualTypeOf<string | undefined>();
          return message.token ?? '';
        case 'subscribe':
        case 'unsubscribe':
        case 'notify':
          expectTypeOf(message.channel).toEqualTypeOf<string>();
          return message.channel;
        case 'fetch':
          expectTypeOf(message.rows).toEqualTypeOf<number>();
          return message.queryId;
        case 'beginSession':
        case 'endSession':
          return message.queryId ?? '';
        case 'ping':
          return message.id ?? '';
        default:
          expectTypeOf(message).toBeNever();
          return message;
      }
    };
    expectTypeOf(describeMessage).parameter(0).toEqualTypeOf<ClientMessage>();
    expectTypeOf<Extract<ClientMessage, { type: 'arrow' }>>().toEqualTypeOf<ArrowQuery>();
    expectTypeOf<ClientMessage['type']>().toEqualTypeOf<
      | 'auth'
      | 'arrow'
      | 'json'
      | 'exec'
      | 'cancel'
      | 'subscribe'
      | 'unsubscribe'
      | 'notify'
      | 'fetch'
      | 'beginSession'
      | 'endSession'
      | 'ping'
    >();
  });

  it('ServerMessage narrows by type', () => {
    expectTypeOf<Extract<ServerMessage, { type: 'json' }>>().toEqualTypeOf<JsonResult>();
    expectTypeOf<Extract<ServerMessage, { type: 'error' }>>().toEqualTypeOf<ErrorReply>();
    expectTypeOf<ErrorReply['queryId']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ErrorReply['code']>().toEqualTypeOf<string | undefined>();
    expectTypeOf<ServerMessage['type']>().toEqualTypeOf<
      | 'authAck'
      | 'ok'
      | 'json'
      | 'error'
      | 'cancelAck'
      | 'subscribed'
      | 'unsubscribed'
      | 'notify'
      | 'notifyAck'
      | 'uploadAck'
      | 'hello'
      | 'progress'
      | 'paused'
      | 'end'
      | 'pong'
    >();
  });

  it('parsers return typed results', () => {
    expectTypeOf(parseClientMessage).returns.toEqualTypeOf<ParseResult<ClientMessage>>();
    expectTypeOf(parseServerMessage).returns.toEqualTypeOf<ParseResult<ServerMessage>>();
    const result = parseClientFrame(new Uint8Array());
    if (result.ok) {
      if (result.value.header.type !== 'uploadArrow') return;
      expectTypeOf(result.value.header).toExtend<UploadArrowHeader>();
      expectTypeOf(result.value.header.tableName).toEqualTypeOf<string>();
      expectTypeOf(result.value.payload).toEqualTypeOf<Uint8Array>();
    } else {
      expectTypeOf(result.error.code).toEqualTypeOf<ErrorCode>();
    }
  });
});
