import { type Static, Type } from '@sinclair/typebox';
import { Channel, QueryId } from '../fields.js';

/** server → client (text): the `auth` message was accepted (also sent when auth is disabled). */
export const AuthAck = Type.Object(
  { type: Type.Literal('authAck') },
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

/** Every server → client text message. */
export const ServerMessage = Type.Union(
  [AuthAck, OkReply, JsonResult, ErrorReply, CancelAck, Subscribed, Unsubscribed, NotifyMessage, NotifyAck, UploadAck],
  { $id: 'ServerMessage', description: 'Every server → client text message.' },
);
export type ServerMessage = Static<typeof ServerMessage>;

/** Every server → client binary frame header. */
export const ServerBinaryHeader = Type.Union([ArrowResultHeader], {
  $id: 'ServerBinaryHeader',
  description: 'Every server → client binary frame header.',
});
export type ServerBinaryHeader = Static<typeof ServerBinaryHeader>;
