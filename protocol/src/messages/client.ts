import { type Static, Type } from '@sinclair/typebox';
import { Channel, Limit, QueryId, Sql } from '../fields.js';

/** client → server (text): authenticate this connection. Answered by `authAck`, or `error` + close. */
export const AuthMessage = Type.Object(
  { type: Type.Literal('auth'), token: Type.String({ description: 'The server token.' }) },
  { $id: 'AuthMessage', description: 'client → server: authenticate this connection.' },
);
export type AuthMessage = Static<typeof AuthMessage>;

const queryFields = {
  queryId: Type.Optional(QueryId),
  sql: Sql,
  persist: Type.Optional(
    Type.Boolean({ description: 'Read the result from, and store it in, the server result cache.' }),
  ),
  maxRows: Type.Optional(Limit),
  maxBytes: Type.Optional(Limit),
};

/** client → server (text): run SQL, answer with an Arrow IPC stream (binary) or `ok`. */
export const ArrowQuery = Type.Object(
  { type: Type.Literal('arrow'), ...queryFields },
  { $id: 'ArrowQuery', description: 'client → server: run SQL and answer with Arrow IPC (binary frame), or ok.' },
);
export type ArrowQuery = Static<typeof ArrowQuery>;

/** client → server (text): run SQL, answer with `json` whose `data` is a JSON array of row objects. */
export const JsonQuery = Type.Object(
  { type: Type.Literal('json'), ...queryFields },
  { $id: 'JsonQuery', description: 'client → server: run SQL and answer with rows as JSON text.' },
);
export type JsonQuery = Static<typeof JsonQuery>;

/** client → server (text): run SQL for its effect, answer `ok`. */
export const ExecQuery = Type.Object(
  { type: Type.Literal('exec'), queryId: Type.Optional(QueryId), sql: Sql },
  { $id: 'ExecQuery', description: 'client → server: run SQL for its effect; answered by ok.' },
);
export type ExecQuery = Static<typeof ExecQuery>;

/** client → server (text): cancel one of this connection's queries. Answered by `cancelAck`. */
export const CancelMessage = Type.Object(
  { type: Type.Literal('cancel'), queryId: QueryId },
  { $id: 'CancelMessage', description: "client → server: cancel one of this connection's in-flight queries." },
);
export type CancelMessage = Static<typeof CancelMessage>;

/** client → server (text): receive `notify` messages of a channel. Answered by `subscribed`. */
export const SubscribeMessage = Type.Object(
  { type: Type.Literal('subscribe'), channel: Channel },
  { $id: 'SubscribeMessage', description: 'client → server: subscribe this connection to a channel.' },
);
export type SubscribeMessage = Static<typeof SubscribeMessage>;

/** client → server (text): stop receiving a channel. Answered by `unsubscribed`. duckwire addition. */
export const UnsubscribeMessage = Type.Object(
  { type: Type.Literal('unsubscribe'), channel: Channel },
  { $id: 'UnsubscribeMessage', description: 'client → server: unsubscribe this connection from a channel.' },
);
export type UnsubscribeMessage = Static<typeof UnsubscribeMessage>;

/** client → server (text): publish a payload to every subscriber of a channel. Answered by `notify` + `notifyAck`. */
export const NotifyRequest = Type.Object(
  { type: Type.Literal('notify'), channel: Channel, payload: Type.Optional(Type.Unknown()) },
  { $id: 'NotifyRequest', description: 'client → server: publish a payload on a channel.' },
);
export type NotifyRequest = Static<typeof NotifyRequest>;

/** Header of a client → server binary frame: create or replace a table from the Arrow IPC stream that follows. */
export const UploadArrowHeader = Type.Object(
  {
    type: Type.Literal('uploadArrow'),
    queryId: Type.Optional(QueryId),
    tableName: Type.String({
      minLength: 1,
      maxLength: 1024,
      description: 'Target table: 1 to 3 SQL identifiers separated by dots, each quoted or not.',
    }),
  },
  { $id: 'UploadArrowHeader', description: 'client → server (binary frame header): upload an Arrow IPC stream into a table.' },
);
export type UploadArrowHeader = Static<typeof UploadArrowHeader>;

/** Every client → server text message. */
export const ClientMessage = Type.Union(
  [AuthMessage, ArrowQuery, JsonQuery, ExecQuery, CancelMessage, SubscribeMessage, UnsubscribeMessage, NotifyRequest],
  { $id: 'ClientMessage', description: 'Every client → server text message.' },
);
export type ClientMessage = Static<typeof ClientMessage>;

/** Every client → server binary frame header. */
export const ClientBinaryHeader = Type.Union([UploadArrowHeader], {
  $id: 'ClientBinaryHeader',
  description: 'Every client → server binary frame header.',
});
export type ClientBinaryHeader = Static<typeof ClientBinaryHeader>;
