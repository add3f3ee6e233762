import { Message, type Schema } from 'apache-arrow';
import { frameMessage } from './ipc-message.js';

/** Encodes an Arrow schema as one encapsulated IPC schema message (flatbuffer by apache-arrow). */
export function encodeSchemaMessage(schema: Schema): Uint8Array {
  return frameMessage(Message.encode(Message.from(schema)));
}
