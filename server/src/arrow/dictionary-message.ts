import { BatchBody } from './body-sink.js';
import type { DictionaryPlan } from './column-plan.js';
import { encodeBatchMessage } from './ipc-message.js';

const encoder = new TextEncoder();

/** Encodes an ENUM's values as the IPC dictionary batch (a Utf8 array) of dictionary `plan.id`. */
export function encodeDictionaryMessage(plan: DictionaryPlan): Uint8Array {
  const encoded = plan.values.map((value) => encoder.encode(value));
  const offsets = new Int32Array(encoded.length + 1);
  let total = 0;
  for (let i = 0; i < encoded.length; i++) {
    total += encoded[i].byteLength;
    offsets[i + 1] = total;
  }
  const body = new BatchBody();
  body.node(encoded.length, 0);
  body.buffer();
  body.buffer(new Uint8Array(offsets.buffer));
  body.buffer(...encoded);
  return encodeBatchMessage(encoded.length, body, plan.id);
}
