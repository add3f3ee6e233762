/**
 * Builds the binary frames and Arrow payloads a scenario sends, from their data description.
 * Frames are assembled byte by byte (see frameBytes) because scenarios also send broken ones.
 */
import { Bool, type DataType, Float64, Int32, Int64, Table, Utf8, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Static } from '@sinclair/typebox';
import type { ArrowColumnSpec, FrameSpec, PayloadSpec } from '../scenario/schema.js';

const TYPES: Record<Static<typeof ArrowColumnSpec>['type'], () => DataType> = {
  Int32: () => new Int32(),
  Int64: () => new Int64(),
  Float64: () => new Float64(),
  Utf8: () => new Utf8(),
  Bool: () => new Bool(),
};

/** An Arrow IPC stream holding the described columns. */
export function arrowStream(columns: ReadonlyArray<Static<typeof ArrowColumnSpec>>): Uint8Array {
  const vectors = Object.fromEntries(
    columns.map((column) => {
      const values =
        column.type === 'Int64'
          ? column.values.map((v) => (v === null ? null : BigInt(v as string | number)))
          : column.values;
      return [column.name, vectorFromArray(values, TYPES[column.type]())];
    }),
  );
  return tableToIPC(new Table(vectors), 'stream');
}

function payloadBytes(payload: Static<typeof PayloadSpec> | undefined): Uint8Array {
  if (!payload) return new Uint8Array(0);
  if ('arrow' in payload) {
    const stream = arrowStream(payload.arrow.columns);
    const slice = payload.arrow.slice;
    return slice ? stream.subarray(slice.from, slice.to) : stream;
  }
  if ('hex' in payload) return Buffer.from(payload.hex, 'hex');
  return Buffer.from(payload.utf8, 'utf8');
}

/**
 * The bytes of a binary message described by a scenario. Scenarios send headers of any shape on
 * purpose (unknown types, missing fields, wrong lengths), which the protocol's validating encoder
 * refuses to write, so the frame is assembled here: u32 big-endian length, header, payload.
 */
export function frameBytes(spec: Static<typeof FrameSpec>): Uint8Array {
  if ('raw' in spec) return Buffer.from(spec.raw, 'hex');
  const payload = payloadBytes(spec.payload);
  const header =
    spec.headerHex !== undefined
      ? Buffer.from(spec.headerHex, 'hex')
      : Buffer.from(spec.headerText ?? JSON.stringify(spec.header ?? {}), 'utf8');
  const prefix = Buffer.alloc(4);
  prefix.writeUInt32BE(spec.lengthOverride ?? header.byteLength, 0);
  return Buffer.concat([prefix, header, payload]);
}
