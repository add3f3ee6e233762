/**
 * Encodes a result's Arrow schema as an IPC schema message, with apache-arrow's generated
 * flatbuffer tables and its type assembler, the same calls `Message.encode` makes for a schema.
 * Not `Message.encode` itself: its module (apache-arrow's IPC metadata) pulls in the IPC reader's
 * half of the library, ~5 MiB of resident memory in a server that never reads IPC until a client
 * uploads. The deep imports below load only the flatbuffer tables a schema needs.
 */
import { Endianness } from 'apache-arrow/fb/endianness';
import { Field as FbField } from 'apache-arrow/fb/field';
import { KeyValue } from 'apache-arrow/fb/key-value';
import { Message as FbMessage } from 'apache-arrow/fb/message';
import { MessageHeader } from 'apache-arrow/fb/message-header';
import { MetadataVersion } from 'apache-arrow/fb/metadata-version';
import { Schema as FbSchema } from 'apache-arrow/fb/schema';
import type { Field, Schema } from 'apache-arrow/schema';
import { DataType } from 'apache-arrow/type';
import { instance as typeAssembler } from 'apache-arrow/visitor/typeassembler';
import { Builder } from 'flatbuffers';
import { frameMessage } from './ipc-message.js';

/** The byte order of this machine, which the buffers of every record batch are in. */
const PLATFORM_ENDIANNESS = new Uint8Array(Uint16Array.of(1).buffer)[0] === 1 ? Endianness.Little : Endianness.Big;

/** Encodes an Arrow schema as one encapsulated IPC schema message (metadata version 5). */
export function encodeSchemaMessage(schema: Schema): Uint8Array {
  const b = new Builder(1024);
  const header = encodeSchema(b, schema);
  FbMessage.startMessage(b);
  FbMessage.addVersion(b, MetadataVersion.V5);
  FbMessage.addHeader(b, header);
  FbMessage.addHeaderType(b, MessageHeader.Schema);
  FbMessage.addBodyLength(b, 0n);
  FbMessage.finishMessageBuffer(b, FbMessage.endMessage(b));
  return frameMessage(b.asUint8Array());
}

function encodeSchema(b: Builder, schema: Schema): number {
  const fields = FbSchema.createFieldsVector(
    b,
    schema.fields.map((field) => encodeField(b, field)),
  );
  const metadata = encodeMetadata(b, schema.metadata);
  FbSchema.startSchema(b);
  FbSchema.addFields(b, fields);
  FbSchema.addEndianness(b, PLATFORM_ENDIANNESS);
  if (metadata !== undefined) FbSchema.addCustomMetadata(b, metadata);
  return FbSchema.endSchema(b);
}

function encodeField(b: Builder, field: Field): number {
  const type = field.type;
  let typeId: number = field.typeId;
  let typeOffset: number;
  let dictionary: number | undefined;
  if (DataType.isDictionary(type)) {
    typeId = type.dictionary.typeId;
    dictionary = assemble(b, type);
    typeOffset = assemble(b, type.dictionary);
  } else {
    typeOffset = assemble(b, type);
  }
  const children = FbField.createChildrenVector(
    b,
    (type.children ?? []).map((child: Field) => encodeField(b, child)),
  );
  const metadata = encodeMetadata(b, field.metadata);
  const name = field.name ? b.createString(field.name) : undefined;
  FbField.startField(b);
  FbField.addType(b, typeOffset);
  FbField.addTypeType(b, typeId);
  FbField.addChildren(b, children);
  FbField.addNullable(b, !!field.nullable);
  if (name !== undefined) FbField.addName(b, name);
  if (dictionary !== undefined) FbField.addDictionary(b, dictionary);
  if (metadata !== undefined) FbField.addCustomMetadata(b, metadata);
  return FbField.endField(b);
}

/** The type's table (for a dictionary: its `DictionaryEncoding`). */
function assemble(b: Builder, type: DataType): number {
  const offset = typeAssembler.visit(type, b);
  if (offset === undefined) throw new Error(`no Arrow schema encoding for type ${type}`);
  return offset;
}

/** A `custom_metadata` vector of key-value tables, or undefined when there is no metadata. */
function encodeMetadata(b: Builder, metadata: Map<string, string> | undefined): number | undefined {
  if (!metadata || metadata.size === 0) return undefined;
  const pairs = [...metadata].map(([key, value]) => {
    const keyOffset = b.createString(key);
    const valueOffset = b.createString(value);
    KeyValue.startKeyValue(b);
    KeyValue.addKey(b, keyOffset);
    KeyValue.addValue(b, valueOffset);
    return KeyValue.endKeyValue(b);
  });
  return FbSchema.createCustomMetadataVector(b, pairs);
}
