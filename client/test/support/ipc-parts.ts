// Split a real Arrow IPC stream into the parts a duckwire.v1 streamed result sends: the opening (schema and
// dictionary messages) and each record-batch message, as the protocol's schema and batch frames carry them.
import { MessageHeader, MessageReader } from 'apache-arrow';

/** The parts of an IPC stream: `schema` (schema + dictionaries) and one entry per record batch, no end marker. */
export function splitIpcStream(stream: Uint8Array): { schema: Uint8Array; batches: Uint8Array[] } {
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  const reader = new MessageReader(stream);
  let offset = 0;
  let schemaEnd = 0;
  const batches: Uint8Array[] = [];
  for (;;) {
    const message = reader.readMessage();
    if (!message) break;
    // Encapsulated message: 0xFFFFFFFF, int32 metadata length, metadata, body.
    const metadataLength = view.getInt32(offset + 4, true);
    const end = offset + 8 + metadataLength + Number(message.bodyLength);
    if (message.headerType === MessageHeader.RecordBatch) batches.push(stream.subarray(offset, end));
    else if (batches.length === 0) schemaEnd = end;
    reader.readMessageBody(message.bodyLength);
    offset = end;
  }
  return { schema: stream.subarray(0, schemaEnd), batches };
}
