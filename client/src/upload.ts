/**
 * Uploads in parts (duckwire.v1 capability `chunkedUpload`) and file uploads (`fileUpload`): which format a
 * file is, and how the parts after the first are sent — one at a time, each read only when the socket has
 * sent most of the previous ones, so a large File never sits in memory whole.
 */
import type { UploadFileHeader } from '@duckwire/protocol';
import type { Link } from './link.js';

/** A file format the server can load. */
export type FileFormat = UploadFileHeader['format'];

/** Bytes queued in the socket before the next part is read and sent. */
const HIGH_WATER_BYTES = 8 * 1024 * 1024;

const BY_EXTENSION: Readonly<Record<string, FileFormat>> = {
  csv: 'csv',
  tsv: 'csv',
  txt: 'csv',
  parquet: 'parquet',
  json: 'json',
  ndjson: 'json',
  jsonl: 'json',
  arrow: 'arrow',
  arrows: 'arrow',
  ipc: 'arrow',
};

const BY_MIME: Readonly<Record<string, FileFormat>> = {
  'text/csv': 'csv',
  'text/tab-separated-values': 'csv',
  'application/json': 'json',
  'application/x-ndjson': 'json',
  'application/vnd.apache.parquet': 'parquet',
  'application/vnd.apache.arrow.stream': 'arrow',
  'application/vnd.apache.arrow.file': 'arrow',
};

/**
 * The format of a File (by the extension of its name, then its MIME type).
 *
 * @throws TypeError when neither tells (pass the `format` option).
 */
export function fileFormatOf(file: Blob | Uint8Array): FileFormat {
  const name = (file as { name?: unknown }).name;
  const extension = typeof name === 'string' ? /\.([A-Za-z0-9]+)$/.exec(name)?.[1]?.toLowerCase() : undefined;
  const format =
    (extension === undefined ? undefined : BY_EXTENSION[extension]) ??
    (file instanceof Uint8Array ? undefined : BY_MIME[file.type.split(';')[0]?.trim().toLowerCase() ?? '']);
  if (format === undefined) {
    throw new TypeError('cannot tell the format of the file; pass the format option (csv, parquet, json, arrow)');
  }
  return format;
}

/** Resolve once the socket's send buffer is below the high-water mark (or `stop()` says to give up). */
async function drained(link: Link, stop: () => boolean): Promise<void> {
  while (link.bufferedAmount > HIGH_WATER_BYTES && !stop()) {
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

/**
 * Send the parts of upload `queryId` from byte `offset` to `size` as `uploadChunk` frames, the last with
 * `last: true`. `read(offset)` gives the part starting there. Stops early when `stop()` turns true (the
 * server already answered, e.g. with an error, or the request was abandoned).
 */
export async function sendInParts(
  link: Link,
  queryId: string,
  read: (offset: number) => Promise<Uint8Array>,
  offset: number,
  size: number,
  stop: () => boolean,
): Promise<void> {
  let position = offset;
  while (position < size && !stop()) {
    await drained(link, stop);
    if (stop()) return;
    const part = await read(position);
    if (part.byteLength === 0) throw new Error(`upload ${queryId}: the data ended at byte ${position} of ${size}`);
    position += part.byteLength;
    if (stop()) return;
    link.send(
      { header: { type: 'uploadChunk', queryId, ...(position >= size ? { last: true } : {}) }, payload: part },
      queryId,
    );
  }
}
