/**
 * The rules of a duckwire.v1 streamed request that its schema cannot say: which fields go
 * together. A server answers a request that breaks them with `invalid_message` (and does not run
 * it); a client can check before sending. One place, so that both ends agree.
 */
import type { ClientMessage } from './messages/client.js';

/** Fields that only an `arrow` query may carry (in v1). */
const ARROW_ONLY_FIELDS = ['stream', 'fetchRows', 'compression'] as const;

/**
 * Why `message` is not a valid request for a streamed or compressed result, or undefined when it
 * is fine (including every message that uses none of these fields):
 * - `stream`, `fetchRows` and `compression` are for `arrow` queries only;
 * - `fetchRows` (a cursor) needs `stream: true`;
 * - `stream` cannot be combined with `persist` (the result cache answers whole results).
 */
export function streamRequestProblem(message: ClientMessage): string | undefined {
  const record = message as Record<string, unknown>;
  if (message.type !== 'arrow') {
    if (message.type !== 'json' && message.type !== 'exec') return undefined;
    const field = ARROW_ONLY_FIELDS.find((name) => record[name] !== undefined);
    return field === undefined ? undefined : `${field} requires type arrow`;
  }
  if (message.fetchRows !== undefined && message.stream !== true) return 'fetchRows requires stream: true';
  if (message.stream === true && message.persist === true) return 'stream cannot be combined with persist';
  return undefined;
}
