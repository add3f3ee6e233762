/**
 * How the client writes a SQL request (`arrow`, `json`, `exec`) from the caller's options: the baseline fields,
 * and each duckwire.v1 field only after checking that the connected server announced its capability — a
 * feature it lacks rejects with {@link NotSupportedError} before anything is sent.
 */
import { type ArrowQuery, Capability, type ExecQuery, type JsonQuery, type Params } from '@duckwire/protocol';
import { type CompressionCodec, hasCompressionCodec } from './codecs.js';
import { NotSupportedError } from './errors.js';
import type { Link } from './link.js';
import type { ArrowQueryOptions, ExecOptions, JsonOptions, QueryOptions } from './options.js';
import { toWireParams } from './params.js';

/** Throw {@link NotSupportedError} unless the connected server announced `capability`. */
export function need(link: Link, capability: string, feature: string): void {
  if (link.supports(capability)) return;
  throw new NotSupportedError(
    link.hello
      ? `${feature} (duckwire.v1 capability "${capability}")`
      : `${feature} (needs the duckwire.v1 protocol; this is a baseline connection)`,
  );
}

/** The `arrow` query for `sql` (not streamed). `timeoutMs` goes to servers that enforce it. */
export function arrowQuery(
  queryId: string,
  sql: string,
  link: Link,
  options: ArrowQueryOptions,
  timeoutMs: number,
): ArrowQuery {
  return {
    type: 'arrow',
    queryId,
    sql,
    ...resultFields(options),
    ...sqlFields(link, options, timeoutMs),
    ...compressionField(link, options),
  };
}

/** The `json` query for `sql`. */
export function jsonQuery(
  queryId: string,
  sql: string,
  link: Link,
  options: JsonOptions,
  timeoutMs: number,
): JsonQuery {
  return {
    type: 'json',
    queryId,
    sql,
    ...resultFields(options),
    ...sqlFields(link, options, timeoutMs),
    ...temporalField(link, options),
  };
}

/** The `exec` request for `sql`. */
export function execQuery(
  queryId: string,
  sql: string,
  link: Link,
  options: ExecOptions,
  timeoutMs: number,
): ExecQuery {
  return { type: 'exec', queryId, sql, ...sqlFields(link, options, timeoutMs) };
}

function resultFields(options: QueryOptions): { persist?: boolean; maxRows?: number; maxBytes?: number } {
  return {
    ...(options.persist === undefined ? {} : { persist: options.persist }),
    ...(options.maxRows === undefined ? {} : { maxRows: options.maxRows }),
    ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
  };
}

/** The v1 fields every SQL request may carry: `params`, `progress`, and `timeoutMs` where the server enforces it. */
function sqlFields(
  link: Link,
  options: ExecOptions,
  timeoutMs: number,
): { params?: Params; progress?: true; timeoutMs?: number } {
  const fields: { params?: Params; progress?: true; timeoutMs?: number } = {};
  if (options.params !== undefined) {
    need(link, Capability.Params, '"params"');
    fields.params = toWireParams(options.params);
  }
  if (options.onProgress !== undefined) {
    need(link, Capability.Progress, 'onProgress');
    fields.progress = true;
  }
  if (timeoutMs > 0 && link.supports(Capability.Timeout)) fields.timeoutMs = timeoutMs;
  return fields;
}

/** The `compression` field of an Arrow query: the server must offer the codec and the app's apache-arrow decode it. */
function compressionField(link: Link, options: ArrowQueryOptions): { compression?: CompressionCodec } {
  const codec = options.compression;
  if (codec === undefined) return {};
  need(link, Capability.Compression, `compression "${codec}"`);
  if (!link.hello?.compression?.includes(codec)) {
    throw new NotSupportedError(
      `compression "${codec}" (the server offers ${link.hello?.compression?.join(', ') || 'no codec'})`,
    );
  }
  if (!hasCompressionCodec(codec)) {
    throw new TypeError(
      `compression "${codec}": no ${codec} decoder is registered in apache-arrow (call registerCompressionCodec; needs apache-arrow ≥ 21.1)`,
    );
  }
  return { compression: codec };
}

/** The `temporal` field of a json query (capability `temporal`). */
function temporalField(link: Link, options: JsonOptions): { temporal?: 'iso' | 'epochMs' } {
  if (options.temporal === undefined) return {};
  need(link, Capability.Temporal, '"temporal"');
  return { temporal: options.temporal };
}
