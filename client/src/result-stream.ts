/**
 * A streamed result (duckwire.v1 capability `stream`): the replies `schema`, `batch`…, `paused` (cursors)
 * and `end` of one query, turned into a queue the app pulls from. Each batch is decoded when it arrives —
 * the schema payload followed by the batch payload is a valid Arrow IPC stream — so memory holds decoded
 * batches the app has not taken yet, never the raw result.
 */
import type { RecordBatch, Schema } from 'apache-arrow';
import { decodeArrowStream } from './arrow.js';
import { ProtocolViolationError } from './errors.js';
import { type PendingRequest, type Reply, errorFromReply } from './link.js';

/** What the app takes from a stream, in order. */
export type StreamEvent =
  | { readonly kind: 'batch'; readonly batch: RecordBatch }
  /** A cursor sent the rows asked for and waits for `fetch`. `rows`: rows sent so far. */
  | { readonly kind: 'paused'; readonly rows: number }
  /** The result is complete. */
  | { readonly kind: 'end'; readonly rows: number };

/** The replies of one streamed query as a pull queue; it is the query's {@link PendingRequest}. */
export class ResultStream implements PendingRequest {
  readonly queryId: string;
  #schemaBytes: Uint8Array | undefined;
  #schema: Schema | undefined;
  readonly #events: StreamEvent[] = [];
  #failure: Error | undefined;
  #finished = false;
  #wake: (() => void) | undefined;
  #nextSeq = 0;
  readonly #onProgress: ((reply: Reply) => boolean) | undefined;

  /** `onProgress` sees every reply first and returns true when it consumed it (a `progress` message). */
  constructor(queryId: string, onProgress?: (reply: Reply) => boolean) {
    this.queryId = queryId;
    this.#onProgress = onProgress;
  }

  /** The result's schema, once its `schema` frame arrived. */
  get schema(): Schema | undefined {
    return this.#schema;
  }

  /** Whether the query ended (terminal reply, failure, or abandoned): nothing more will arrive. */
  get finished(): boolean {
    return this.#finished;
  }

  /** The next event; rejects with the query's error. Resolves `end` again after the end. */
  async next(): Promise<StreamEvent> {
    for (;;) {
      const event = this.#events.shift();
      if (event) return event;
      if (this.#failure) throw this.#failure;
      if (this.#finished) return { kind: 'end', rows: 0 };
      await new Promise<void>((resolve) => {
        this.#wake = resolve;
      });
    }
  }

  /** Events waiting to be taken. */
  get queued(): number {
    return this.#events.length;
  }

  reply(reply: Reply): 'done' | 'wait' {
    if (this.#onProgress?.(reply)) return 'wait';
    if (reply.kind === 'binary') {
      const { header, payload } = reply;
      if (header.type === 'schema' && this.#schemaBytes === undefined) {
        this.#schemaBytes = payload;
        this.#schema = decodeArrowStream(payload).schema;
        return 'wait';
      }
      if (header.type === 'batch' && this.#schemaBytes !== undefined && header.seq === this.#nextSeq) {
        this.#nextSeq++;
        for (const batch of decodeBatch(this.#schemaBytes, payload)) this.#push({ kind: 'batch', batch });
        return 'wait';
      }
      throw new ProtocolViolationError(
        `unexpected binary "${header.type}" frame in streamed result ${this.queryId}` +
          (header.type === 'batch' ? ` (seq ${header.seq}, expected ${this.#nextSeq})` : ''),
        { queryId: this.queryId },
      );
    }
    const { message } = reply;
    switch (message.type) {
      case 'paused':
        this.#push({ kind: 'paused', rows: message.rows });
        return 'wait';
      case 'end':
        this.#push({ kind: 'end', rows: message.rows });
        this.#finished = true;
        return 'done';
      case 'error':
        this.fail(errorFromReply(message));
        return 'done';
      default:
        throw new ProtocolViolationError(`unexpected "${message.type}" reply to streamed query ${this.queryId}`, {
          queryId: this.queryId,
        });
    }
  }

  fail(error: Error): void {
    if (this.#finished) return;
    this.#failure = error;
    this.#finished = true;
    this.#wakeUp();
  }

  #push(event: StreamEvent): void {
    this.#events.push(event);
    this.#wakeUp();
  }

  #wakeUp(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }
}

/** The RecordBatches of one `batch` frame: decoded as the IPC stream `schema ++ batch` (without end marker). */
function decodeBatch(schemaBytes: Uint8Array, batchBytes: Uint8Array): RecordBatch[] {
  const bytes = new Uint8Array(schemaBytes.byteLength + batchBytes.byteLength);
  bytes.set(schemaBytes, 0);
  bytes.set(batchBytes, schemaBytes.byteLength);
  return decodeArrowStream(bytes).batches;
}
