// The schema message the server writes with apache-arrow's flatbuffer tables (schema-message.ts)
// must be the bytes apache-arrow's own IPC writer makes for the same schema, for every kind of
// type the server sends: nested, dictionary-encoded, with metadata on fields and on the schema.
import {
  Binary,
  Bool,
  DateDay,
  Decimal,
  Dictionary,
  Field,
  FixedSizeBinary,
  FixedSizeList,
  Float32,
  Float64,
  Int8,
  Int32,
  Int64,
  Interval,
  IntervalUnit,
  List,
  Map_,
  Message,
  Schema,
  Struct,
  Time,
  Timestamp,
  TimeUnit,
  Uint16,
  Uint64,
  Union,
  UnionMode,
  Utf8,
  tableFromIPC,
} from 'apache-arrow';
import { describe, expect, test } from 'vitest';
import { frameMessage } from '../src/arrow/ipc-message.js';
import { encodeSchemaMessage } from '../src/arrow/schema-message.js';

const opaque = new Map([
  ['ARROW:extension:name', 'arrow.opaque'],
  ['ARROW:extension:metadata', '{"type_name":"bit","vendor_name":"DuckDB"}'],
]);

/** A MAP's entries as the server plans them: a non-null struct of a non-null key and a value. */
const mapEntries = new Field<Struct>(
  'entries',
  new Struct([new Field('key', new Utf8(), false), new Field('value', new Int32())]),
  false,
);

const schemas: Record<string, Schema> = {
  'no columns': new Schema([]),
  scalars: new Schema([
    new Field('b', new Bool()),
    new Field('i8', new Int8(), false),
    new Field('u16', new Uint16()),
    new Field('i32', new Int32()),
    new Field('i64', new Int64()),
    new Field('u64', new Uint64()),
    new Field('f32', new Float32()),
    new Field('f64', new Float64()),
    new Field('dec', new Decimal(3, 18, 128)),
    new Field('hugeint', new Decimal(0, 38, 128)),
    new Field('s', new Utf8()),
    new Field('blob', new Binary()),
    new Field('uuid', new FixedSizeBinary(16)),
  ]),
  temporal: new Schema([
    new Field('d', new DateDay()),
    new Field('t', new Time(TimeUnit.MICROSECOND, 64)),
    new Field('ts', new Timestamp(TimeUnit.MICROSECOND)),
    new Field('tstz', new Timestamp(TimeUnit.MICROSECOND, 'Europe/Berlin')),
    new Field('ts_s', new Timestamp(TimeUnit.SECOND)),
    new Field('iv', new Interval(IntervalUnit.MONTH_DAY_NANO)),
  ]),
  nested: new Schema([
    new Field('l', new List(new Field('l', new Int32()))),
    new Field('arr', new FixedSizeList(3, new Field('item', new Float64()))),
    new Field('st', new Struct([new Field('a', new Utf8()), new Field('b', new List(new Field('l', new Int64())))])),
    new Field('m', new Map_(mapEntries, false)),
    new Field('u', new Union(UnionMode.Sparse, [0, 1], [new Field('n', new Int32()), new Field('s', new Utf8())])),
  ]),
  'dictionary and metadata': new Schema(
    [
      new Field('mood', new Dictionary(new Utf8(), new Uint16(), 0)),
      new Field('mood2', new Dictionary(new Utf8(), new Int8(), 1)),
      new Field('bits', new Binary(), true, opaque),
      new Field('l', new List(new Field('l', new Dictionary(new Utf8(), new Int32(), 2)))),
    ],
    new Map([['origin', 'duckwire']]),
  ),
};

describe('encodeSchemaMessage', () => {
  for (const [name, schema] of Object.entries(schemas)) {
    test(`${name}: the bytes of apache-arrow's IPC writer`, () => {
      const ours = encodeSchemaMessage(schema);
      expect(Buffer.from(ours).toString('hex')).toBe(
        Buffer.from(frameMessage(Message.encode(Message.from(schema)))).toString('hex'),
      );
    });
  }

  test('apache-arrow reads the schema back, end-of-stream after it', () => {
    const schema = schemas['dictionary and metadata'];
    const table = tableFromIPC([encodeSchemaMessage(schema), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0)]);
    expect(table.schema.fields.map((f) => `${f.name}: ${f.type}`)).toEqual(
      schema.fields.map((f) => `${f.name}: ${f.type}`),
    );
    expect(table.schema.fields[2].metadata.get('ARROW:extension:name')).toBe('arrow.opaque');
    expect(table.schema.metadata.get('origin')).toBe('duckwire');
    expect(table.numRows).toBe(0);
  });
});
