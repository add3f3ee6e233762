import { type Static, Type } from '@sinclair/typebox';
import { Channel, QueryId } from '../fields.js';

/** Who is answering: sent only to an authenticated peer (in `hello` when auth is off, else in the v1 `authAck`). */
export const ServerInfo = Type.Object(
  {
    name: Type.String({ description: "The server's package name, e.g. @duckwire/server." }),
    version: Type.String(),
    duckdb: Type.Optional(Type.String({ description: "DuckDB's version string." })),
    node: Type.Optional(Type.String({ description: 'The runtime version.' })),
  },
  { description: 'duckwire.v1: server and engine versions.' },
);
export type ServerInfo = Static<typeof ServerInfo>;

/** server → client (text): the `auth` message was accepted (also sent when auth is disabled). */
export const AuthAck = Type.Object(
  {
    type: Type.Literal('authAck'),
    server: Type.Optional(ServerInfo),
  },
  { $id: 'AuthAck', description: 'server → client: authentication accepted.' },
);
export type AuthAck = Static<typeof AuthAck>;

/** server → client (text): an `exec` finished, or an `arrow` query's statement returned no result set. */
export const OkReply = Type.Object(
  { type: Type.Literal('ok'), queryId: QueryId },
  { $id: 'OkReply', description: 'server → client: the statement ran and returned no result set.' },
);
export type OkReply = Static<typeof OkReply>;

/** server → client (text): the rows of a `json` query. */
export const JsonResult = Type.Object(
  {
    type: Type.Literal('json'),
    queryId: QueryId,
    data: Type.String({ description: 'A JSON array of row objects, as text.' }),
  },
  { $id: 'JsonResult', description: 'server → client: the result of a json query.' },
);
export type JsonResult = Static<typeof JsonResult>;

/** server → client (text): a query failed, or a message was refused. */
export const ErrorReply = Type.Object(
  {
    type: Type.Literal('error'),
    queryId: Type.Optional(QueryId),
    error: Type.String({ description: 'Human-readable message.' }),
    code: Type.Optional(Type.String({ description: 'Machine-readable code; see ErrorCode.' })),
    errorType: Type.Optional(
      Type.String({ description: 'duckwire.v1: DuckDB\'s error type (Catalog, Parser, Binder, …) when DuckDB reported one.' }),
    ),
    retryAfterMs: Type.Optional(
      Type.Integer({ minimum: 0, description: 'duckwire.v1: with code overloaded, when to try again.' }),
    ),
  },
  { $id: 'ErrorReply', description: 'server → client: a failure, tied to a query when queryId is present.' },
);
export type ErrorReply = Static<typeof ErrorReply>;

/** server → client (text): the answer to `cancel`. */
export const CancelAck = Type.Object(
  { type: Type.Literal('cancelAck'), queryId: QueryId, cancelled: Type.Boolean() },
  { $id: 'CancelAck', description: 'server → client: whether a cancel found an in-flight query of this connection.' },
);
export type CancelAck = Static<typeof CancelAck>;

/** server → client (text): the answer to `subscribe`. */
export const Subscribed = Type.Object(
  { type: Type.Literal('subscribed'), channel: Channel },
  { $id: 'Subscribed', description: 'server → client: subscription confirmed.' },
);
export type Subscribed = Static<typeof Subscribed>;

/** server → client (text): the answer to `unsubscribe`. */
export const Unsubscribed = Type.Object(
  { type: Type.Literal('unsubscribed'), channel: Channel },
  { $id: 'Unsubscribed', description: 'server → client: unsubscription confirmed.' },
);
export type Unsubscribed = Static<typeof Unsubscribed>;

/** server → client (text): a payload published on a channel this connection subscribed to (or published itself). */
export const NotifyMessage = Type.Object(
  { type: Type.Literal('notify'), channel: Channel, payload: Type.Optional(Type.Unknown()) },
  { $id: 'NotifyMessage', description: 'server → client: a payload published on a channel.' },
);
export type NotifyMessage = Static<typeof NotifyMessage>;

/** server → client (text): the publisher's notify was delivered to the channel's subscribers. */
export const NotifyAck = Type.Object(
  { type: Type.Literal('notifyAck'), channel: Channel },
  { $id: 'NotifyAck', description: 'server → client: a notify was published.' },
);
export type NotifyAck = Static<typeof NotifyAck>;

/** server → client (text): an `uploadArrow` was loaded. */
export const UploadAck = Type.Object(
  { type: Type.Literal('uploadAck'), queryId: QueryId },
  { $id: 'UploadAck', description: 'server → client: an Arrow upload was loaded into its table.' },
);
export type UploadAck = Static<typeof UploadAck>;

/** Header of a server → client binary frame: the Arrow IPC stream that follows is the result of `queryId`. */
export const ArrowResultHeader = Type.Object(
  { type: Type.Literal('arrow'), queryId: QueryId },
  { $id: 'ArrowResultHeader', description: 'server → client (binary frame header): an Arrow IPC stream result.' },
);
export type ArrowResultHeader = Static<typeof ArrowResultHeader>;

/** Non-negative integer limit in `hello`; 0 means "no limit". */
const HelloLimit = Type.Integer({ minimum: 0 });

/** The limits a server enforces, announced in `hello`. Every key is optional; 0 or absent means no limit. */
export const HelloLimits = Type.Object(
  {
    maxTextMessageBytes: Type.Optional(HelloLimit),
    maxBinaryMessageBytes: Type.Optional(HelloLimit),
    maxInFlightPerConnection: Type.Optional(HelloLimit),
    maxInFlightPerServer: Type.Optional(HelloLimit),
    queryTimeoutMs: Type.Optional(HelloLimit),
    maxCursorsPerConnection: Type.Optional(HelloLimit),
    cursorIdleTimeoutMs: Type.Optional(HelloLimit),
    maxRows: Type.Optional(HelloLimit),
    maxBytes: Type.Optional(HelloLimit),
    pingIntervalMs: Type.Optional(HelloLimit),
    progressIntervalMs: Type.Optional(HelloLimit),
    maxJsonDepth: Type.Optional(HelloLimit),
    maxUploadBytes: Type.Optional(HelloLimit),
  },
  { description: 'Limits in force on this connection; clients ignore keys they do not know.' },
);
export type HelloLimits = Static<typeof HelloLimits>;

/** server → client (text, duckwire.v1): the first message of a v1 connection, sent before auth. */
export const HelloMessage = Type.Object(
  {
    type: Type.Literal('hello'),
    protocol: Type.String({ description: 'The negotiated protocol, e.g. duckwire.v1.' }),
    capabilities: Type.Array(Type.String(), { description: 'Features this server implements; ignore unknown ones.' }),
    compression: Type.Optional(
      Type.Array(Type.String(), { description: 'Arrow IPC body codecs the server can write (lz4, zstd).' }),
    ),
    auth: Type.Union([Type.Literal('required'), Type.Literal('none')]),
    limits: HelloLimits,
    server: Type.Optional(ServerInfo),
  },
  { $id: 'HelloMessage', description: 'server → client (v1): protocol, capabilities, limits; sent first, before auth.' },
);
export type HelloMessage = Static<typeof HelloMessage>;

/** server → client (text, duckwire.v1, capability "progress"): how far a running query has got. Not terminal. */
export const ProgressMessage = Type.Object(
  {
    type: Type.Literal('progress'),
    queryId: QueryId,
    percent: Type.Number({ minimum: 0, maximum: 100 }),
    rowsProcessed: Type.Optional(Type.Integer({ minimum: 0 })),
    totalRows: Type.Optional(Type.Integer({ minimum: 0 })),
  },
  { $id: 'ProgressMessage', description: 'server → client (v1): progress of a running query; not terminal.' },
);
export type ProgressMessage = Static<typeof ProgressMessage>;

/** server → client (text, duckwire.v1, capability "cursor"): a streamed query sent the rows asked for and waits for `fetch`. */
export const PausedMessage = Type.Object(
  {
    type: Type.Literal('paused'),
    queryId: QueryId,
    rows: Type.Integer({ minimum: 0, description: 'Rows sent so far.' }),
  },
  { $id: 'PausedMessage', description: 'server → client (v1): a cursor is paused; send fetch for more. Not terminal.' },
);
export type PausedMessage = Static<typeof PausedMessage>;

/** server → client (text, duckwire.v1, capability "stream"): a streamed result is complete. Terminal. */
export const EndMessage = Type.Object(
  {
    type: Type.Literal('end'),
    queryId: QueryId,
    rows: Type.Integer({ minimum: 0 }),
    bytes: Type.Integer({ minimum: 0, description: 'Payload bytes of the schema and batch frames.' }),
    batches: Type.Integer({ minimum: 0 }),
    elapsedMs: Type.Number({ minimum: 0 }),
  },
  { $id: 'EndMessage', description: 'server → client (v1): the end of a streamed result, with its totals. Terminal.' },
);
export type EndMessage = Static<typeof EndMessage>;

/** server → client (text): the answer to `ping`. */
export const PongMessage = Type.Object(
  { type: Type.Literal('pong'), id: Type.Optional(Type.String({ maxLength: 256 })) },
  { $id: 'PongMessage', description: 'server → client: the answer to an application-level ping.' },
);
export type PongMessage = Static<typeof PongMessage>;

/** Header of a server → client binary frame (duckwire.v1): the opening of a streamed result's Arrow IPC stream. */
export const SchemaHeader = Type.Object(
  { type: Type.Literal('schema'), queryId: QueryId },
  { $id: 'SchemaHeader', description: 'server → client (binary frame header, v1): schema (and dictionary) messages of a stream.' },
);
export type SchemaHeader = Static<typeof SchemaHeader>;

/** Header of a server → client binary frame (duckwire.v1): record batches of a streamed result. */
export const BatchHeader = Type.Object(
  {
    type: Type.Literal('batch'),
    queryId: QueryId,
    seq: Type.Integer({ minimum: 0, description: '0, 1, 2… within the query.' }),
    rows: Type.Integer({ minimum: 0, description: 'Rows in this frame.' }),
  },
  { $id: 'BatchHeader', description: 'server → client (binary frame header, v1): encapsulated record batch messages.' },
);
export type BatchHeader = Static<typeof BatchHeader>;

/** Every server → client text message. */
export const ServerMessage = Type.Union(
  [
    AuthAck,
    OkReply,
    JsonResult,
    ErrorReply,
    CancelAck,
    Subscribed,
    Unsubscribed,
    NotifyMessage,
    NotifyAck,
    UploadAck,
    HelloMessage,
    ProgressMessage,
    PausedMessage,
    EndMessage,
    PongMessage,
  ],
  { $id: 'ServerMessage', description: 'Every server → client text message.' },
);
export type ServerMessage = Static<typeof ServerMessage>;

/** Every server → client binary frame header. */
export const ServerBinaryHeader = Type.Union([ArrowResultHeader, SchemaHeader, BatchHeader], {
  $id: 'ServerBinaryHeader',
  description: 'Every server → client binary frame header.',
});
export type ServerBinaryHeader = Static<typeof ServerBinaryHeader>;
