/**
 * A duckwire.v1 streamed Arrow result (capability `stream`, and `cursor` with `fetchRows`): a
 * binary `schema` frame (the IPC stream's schema and dictionary messages, no end-of-stream
 * marker), binary `batch` frames (record batch messages, numbered by `seq`), for a cursor a text
 * `paused` after every `fetchRows` / `fetch.rows` rows, then the terminal text `end` with the
 * totals. Each frame is written as its own WebSocket message as soon as it is ready (the first
 * batch holds the first DuckDB chunk), and the next rows are asked of DuckDB only once the
 * socket's buffer is below its high-water mark. Failures are thrown: the session sends the one
 * terminal `error`.
 */
import type { DuckDBResult } from '@duckdb/node-api';
import { type ArrowQuery, encodeFrameHead, stringifyServerMessage } from '@duckwire/protocol';
import { type ArrowEncodeOptions, encodeArrowPieces } from '../arrow/encode-result.js';
import { releaseArrowPiece } from '../arrow/buffer-pool.js';
import { PIECES_AHEAD, readPiecesAhead } from '../arrow/piece-lookahead.js';
import type { RowPacer } from '../result/pump.js';
import type { QueryTask } from '../session/query-task.js';
import { SocketClosedError, type SocketWriter } from '../session/socket-writer.js';
import type { CursorRegistry } from './cursor-registry.js';

/** What a streamed result needs around it. */
export interface StreamContext {
  readonly writer: SocketWriter;
  readonly cursors: CursorRegistry;
}

/** Send `result` as a streamed result of `query` (which has `stream: true`), ending with `end`. */
export async function sendStreamedArrow(
  context: StreamContext,
  result: DuckDBResult,
  query: ArrowQuery,
  task: QueryTask,
  options: ArrowEncodeOptions,
): Promise<void> {
  const { writer, cursors } = context;
  const { queryId } = task;
  const pacer: RowPacer | undefined =
    query.fetchRows === undefined
      ? undefined
      : cursors.pacer(task, query.fetchRows, (rows) =>
          writer.sendText(stringifyServerMessage({ type: 'paused', queryId, rows })),
        );
  let rows = 0;
  let bytes = 0;
  let batches = 0;
  // Only compressed batches are worth reading ahead; a cursor's `paused` must follow the frames
  // of its rows, so no read-ahead past a pause.
  const pieces = readPiecesAhead(
    encodeArrowPieces(result, { ...options, growBatches: true }, pacer),
    pacer || options.compression === undefined ? 0 : PIECES_AHEAD,
  );
  for await (const piece of pieces) {
    const payload = piece.bytes;
    if (task.cancelled || !writer.open) {
      releaseArrowPiece(payload);
      task.throwIfCancelled();
      throw new SocketClosedError();
    }
    if (piece.kind === 'end') break; // a streamed result has no end-of-stream marker: `end` says it
    const head =
      piece.kind === 'head'
        ? encodeFrameHead({ type: 'schema', queryId })
        : encodeFrameHead({ type: 'batch', queryId, seq: batches++, rows: piece.rows });
    rows += piece.rows;
    bytes += payload.byteLength;
    await writer.sendFrame(head, payload, releaseArrowPiece);
  }
  // An interrupted DuckDB stream can end like a complete one: only the flag tells.
  task.throwIfCancelled();
  writer.sendText(
    stringifyServerMessage({
      type: 'end',
      queryId,
      rows,
      bytes,
      batches,
      elapsedMs: Math.round(cursors.elapsedMs(queryId) * 1000) / 1000,
    }),
  );
}
