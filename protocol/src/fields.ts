import { Type } from '@sinclair/typebox';

/** Identifies one query (or upload) on one connection; chosen by the client, or by the server when absent. */
export const QueryId = Type.String({
  minLength: 1,
  maxLength: 1024,
  description: 'Identifies one query or upload on one connection. Echoed in every reply to it.',
});

/** SQL text: one or more statements; the result of the last one is returned. */
export const Sql = Type.String({
  minLength: 1,
  description: 'SQL text. Several statements may be separated by semicolons; the last one gives the result.',
});

/** A publish/subscribe channel name. */
export const Channel = Type.String({
  minLength: 1,
  maxLength: 256,
  description: 'A publish/subscribe channel name, e.g. "table:orders".',
});

/** A positive row or byte limit. */
export const Limit = Type.Integer({ minimum: 1, description: 'A positive limit.' });
