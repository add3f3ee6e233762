import { type Static, Type } from '@sinclair/typebox';
import { Channel, Limit, QueryId, Sql } from '../fields.js';
import { Params } from '../params.js';

/** client → server (text): authenticate this connection. Answered by `authAck`, or `error` + close. */
export const AuthMessage = Type.Object(
  {
    type: Type.Literal('auth'),
    token: Type.Optional(
      Type.String({
        description: 'The server token. Required when the server has auth enabled; a server without auth answers authAck whatever the token, or without one.',
      }),
    ),
  },
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

/** Fields every v1 query message (`arrow`, `json`, `exec`) may carry; refused as `not_negotiated` on a baseline connection. */
const v1QueryFields = {
  params: Type.Optional(Params),
  timeoutMs: Type.Optional(
    Type.Integer({ minimum: 1, description: 'duckwire.v1 (capability "timeout"): interrupt the query after this many ms.' }),
  ),
  progress: Type.Optional(
    Type.Boolean({ description: 'duckwire.v1 (capability "progress"): send progress messages while the query runs.' }),
  ),
};

/** Fields only an `arrow` query of a v1 connection may carry. */
const v1ArrowFields = {
  stream: Type.Optional(
    Type.Boolean({ description: 'duckwire.v1 (capability "stream"): answer with schema, batch… and end frames.' }),
  ),
  fetchRows: Type.Optional(
    Type.Integer({ minimum: 1, description: 'duckwire.v1 (capability "cursor"): with stream, pause after this many rows.' }),
  ),
  compression: Type.Optional(
    Type.Union([Type.Literal('lz4'), Type.Literal('zstd')], {
      description: 'duckwire.v1 (capability "compression"): Arrow IPC body compression codec.',
    }),
  ),
};

/** client → server (text): run SQL, answer with an Arrow IPC stream (binary) or `ok`. */
export const ArrowQuery = Type.Object(
  { type: Type.Literal('arrow'), ...queryFields, ...v1QueryFields, ...v1ArrowFields },
  { $id: 'ArrowQuery', description: 'client → server: run SQL and answer with Arrow IPC (binary frame), or ok.' },
);
export type ArrowQuery = Static<typeof ArrowQuery>;

/** client → server (text): run SQL, answer with `json` whose `data` is a JSON array of row objects. */
export const JsonQuery = Type.Object(
  {
    type: Type.Literal('json'),
    ...queryFields,
    ...v1QueryFields,
    temporal: Type.Optional(
      Type.Union([Type.Literal('iso'), Type.Literal('epochMs')], {
        description: 'duckwire.v1 (capability "temporal"): how DATE/TIMESTAMP/INTERVAL values are written.',
      }),
    ),
  },
  { $id: 'JsonQuery', description: 'client → server: run SQL and answer with rows as JSON text.' },
);
export type JsonQuery = Static<typeof JsonQuery>;

/** client → server (text): run SQL for its effect, answer `ok`. */
export const ExecQuery = Type.Object(
  { type: Type.Literal('exec'), queryId: Type.Optional(QueryId), sql: Sql, ...v1QueryFields },
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
    chunked: Type.Optional(
      Type.Boolean({ description: 'duckwire.v1 (capability "chunkedUpload"): more of the stream follows in uploadChunk frames.' }),
    ),
  },
  { $id: 'UploadArrowHeader', description: 'client → server (binary frame header): upload an Arrow IPC stream into a table.' },
);
export type UploadArrowHeader = Static<typeof UploadArrowHeader>;

/** client → server (text, duckwire.v1, capability "cursor"): send up to `rows` more rows of a paused cursor. */
export const FetchMessage = Type.Object(
  { type: Type.Literal('fetch'), queryId: QueryId, rows: Type.Integer({ minimum: 1 }) },
  { $id: 'FetchMessage', description: 'client → server (v1): resume a paused streamed query for up to `rows` more rows.' },
);
export type FetchMessage = Static<typeof FetchMessage>;

/** client → server (text, duckwire.v1, capability "session"): pin one DuckDB connection to this socket. Answered by `ok`. */
export const BeginSessionMessage = Type.Object(
  { type: Type.Literal('beginSession'), queryId: Type.Optional(QueryId) },
  { $id: 'BeginSessionMessage', description: 'client → server (v1): run every later query of this socket on one pinned connection.' },
);
export type BeginSessionMessage = Static<typeof BeginSessionMessage>;

/** client → server (text, duckwire.v1, capability "session"): roll back, reset and release the pinned connection. Answered by `ok`. */
export const EndSessionMessage = Type.Object(
  { type: Type.Literal('endSession'), queryId: Type.Optional(QueryId) },
  { $id: 'EndSessionMessage', description: 'client → server (v1): end the session (open transaction rolled back).' },
);
export type EndSessionMessage = Static<typeof EndSessionMessage>;

/** client → server (text, both protocols): liveness check for clients that cannot send WebSocket pings. Answered by `pong`. */
export const PingMessage = Type.Object(
  { type: Type.Literal('ping'), id: Type.Optional(Type.String({ maxLength: 256 })) },
  { $id: 'PingMessage', description: 'client → server: application-level ping; answered by pong.' },
);
export type PingMessage = Static<typeof PingMessage>;

/** Header of a client → server binary frame (duckwire.v1): the next part of a chunked `uploadArrow` or `uploadFile`. */
export const UploadChunkHeader = Type.Object(
  {
    type: Type.Literal('uploadChunk'),
    queryId: QueryId,
    last: Type.Optional(Type.Boolean({ description: 'This is the final part; the upload is then loaded.' })),
  },
  { $id: 'UploadChunkHeader', description: 'client → server (binary frame header, v1): the next part of a chunked upload.' },
);
export type UploadChunkHeader = Static<typeof UploadChunkHeader>;

/** Header of a client → server binary frame (duckwire.v1, capability "fileUpload"): load a file's bytes into a table. */
export const UploadFileHeader = Type.Object(
  {
    type: Type.Literal('uploadFile'),
    queryId: Type.Optional(QueryId),
    tableName: UploadArrowHeader.properties.tableName,
    format: Type.Union([Type.Literal('csv'), Type.Literal('parquet'), Type.Literal('json'), Type.Literal('arrow')]),
    chunked: Type.Optional(Type.Boolean({ description: 'More of the file follows in uploadChunk frames.' })),
  },
  { $id: 'UploadFileHeader', description: 'client → server (binary frame header, v1): create or replace a table from file bytes.' },
);
export type UploadFileHeader = Static<typeof UploadFileHeader>;

/** Every client → server text message. */
export const ClientMessage = Type.Union(
  [
    AuthMessage,
    ArrowQuery,
    JsonQuery,
    ExecQuery,
    CancelMessage,
    SubscribeMessage,
    UnsubscribeMessage,
    NotifyRequest,
    FetchMessage,
    BeginSessionMessage,
    EndSessionMessage,
    PingMessage,
  ],
  { $id: 'ClientMessage', description: 'Every client → server text message.' },
);
export type ClientMessage = Static<typeof ClientMessage>;

/** Every client → server binary frame header. */
export const ClientBinaryHeader = Type.Union([UploadArrowHeader, UploadChunkHeader, UploadFileHeader], {
  $id: 'ClientBinaryHeader',
  description: 'Every client → server binary frame header.',
});
export type ClientBinaryHeader = Static<typeof ClientBinaryHeader>;
