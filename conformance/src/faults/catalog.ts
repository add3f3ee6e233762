/**
 * The faults the proxy can inject: each a way a server can be wrong that a client would suffer
 * from (harmful), plus a few changes a correct client must tolerate (benign), which must not
 * fail any check.
 */
import { type BinaryHeader, type ServerMessage, decodeFrame, encodeFrame, terminalQueryIdOf } from '@duckwire/protocol';
import { Int32, Table, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import type { Fault, FaultSession, Relayed } from './proxy.js';

type Json = Record<string, unknown>;

const text = (value: unknown): Relayed => ({ data: Buffer.from(JSON.stringify(value)), isBinary: false });
const parse = (message: Relayed): Json | undefined => {
  if (message.isBinary) return undefined;
  try {
    return JSON.parse(message.data.toString('utf8')) as Json;
  } catch {
    return undefined;
  }
};

/** A fault that rewrites (or drops, or multiplies) text messages selected by a predicate. */
function textFault(
  id: string,
  description: string,
  select: (message: Json) => boolean,
  rewrite: (message: Json) => Relayed[],
  harmful = true,
): Fault {
  return {
    id,
    description,
    harmful,
    session: () => ({
      onMessage(message) {
        const value = parse(message);
        return value && select(value) ? rewrite(value) : [message];
      },
    }),
  };
}

/** A fault that rewrites Arrow result frames. */
function arrowFault(id: string, description: string, rewrite: (header: Json, payload: Uint8Array) => Relayed[]): Fault {
  return {
    id,
    description,
    harmful: true,
    session: () => ({
      onMessage(message) {
        if (!message.isBinary) return [message];
        const frame = decodeFrame(message.data);
        if (!frame.ok || frame.value.header.type !== 'arrow') return [message];
        return rewrite(frame.value.header, frame.value.payload);
      },
    }),
  };
}

const binary = (header: Json, payload: Uint8Array): Relayed => ({
  data: Buffer.from(encodeFrame(header as BinaryHeader, payload)),
  isBinary: true,
});
const is =
  (...types: string[]) =>
  (m: Json) =>
    types.includes(m.type as string);
/** The protocol's own rule of what ends a query. */
const terminal = (m: Json) => terminalQueryIdOf(m as unknown as ServerMessage) !== undefined;

/** Hold one selected message back and deliver it after the next message. */
function swapFault(id: string, description: string, select: (message: Json) => boolean): Fault {
  return {
    id,
    description,
    harmful: true,
    session(): FaultSession {
      let held: Relayed | undefined;
      return {
        onMessage(message) {
          if (held) {
            const out = [message, held];
            held = undefined;
            return out;
          }
          const value = parse(message);
          if (value && select(value)) {
            held = message;
            return [];
          }
          return [message];
        },
      };
    },
  };
}

/** Add one to every Int32 value of an Arrow result. */
function bumpInt32(payload: Uint8Array): Uint8Array {
  let table: Table;
  try {
    table = tableFromIPC(payload);
  } catch {
    return payload; // an aborted stream stays aborted
  }
  const columns = Object.fromEntries(
    table.schema.fields.map((field, i) => {
      const column = table.getChildAt(i)!;
      if (field.type instanceof Int32) {
        return [
          field.name,
          vectorFromArray(
            [...column].map((v) => (v === null ? null : (v as number) + 1)),
            new Int32(),
          ),
        ];
      }
      return [field.name, column];
    }),
  );
  return tableToIPC(new Table(columns), 'stream');
}

/** Harmful faults: each must make at least one MUST check fail. */
export const harmfulFaults: Fault[] = [
  textFault('drop-ok', 'never send ok', is('ok'), () => []),
  textFault('drop-json-results', 'never send json results', is('json'), () => []),
  textFault('drop-upload-ack', 'never send uploadAck', is('uploadAck'), () => []),
  textFault(
    'drop-query-errors',
    'never send an error that ends a query',
    (m) => m.type === 'error' && typeof m.queryId === 'string',
    () => [],
  ),
  textFault('drop-cancel-ack', 'never send cancelAck', is('cancelAck'), () => []),
  textFault('drop-subscribed', 'never send subscribed', is('subscribed'), () => []),
  textFault('drop-notify', 'never deliver notify messages', is('notify'), () => []),
  textFault('drop-notify-ack', 'never send notifyAck', is('notifyAck'), () => []),
  textFault('drop-unsubscribed', 'never send unsubscribed', is('unsubscribed'), () => []),
  textFault('duplicate-terminal', 'send every terminal text reply twice', terminal, (m) => [text(m), text(m)]),
  textFault('duplicate-notify', 'deliver every notify twice', is('notify'), (m) => [text(m), text(m)]),
  textFault('wrong-query-id', 'answer json results with another queryId', is('json'), (m) => [
    text({ ...m, queryId: `${m.queryId}-x` }),
  ]),
  textFault('wrong-query-id-ok', 'answer ok with another queryId', is('ok'), (m) => [
    text({ ...m, queryId: `${m.queryId}-x` }),
  ]),
  textFault(
    'missing-query-id',
    'leave the queryId out of errors that end a query',
    (m) => m.type === 'error' && typeof m.queryId === 'string',
    (m) => {
      const { queryId: _dropped, ...rest } = m;
      return [text(rest)];
    },
  ),
  textFault('wrong-error-code', 'report every error as query_failed', is('error'), (m) => [
    text({ ...m, code: 'query_failed' }),
  ]),
  textFault('no-error-code', 'send errors without code', is('error'), (m) => {
    const { code: _dropped, ...rest } = m;
    return [text(rest)];
  }),
  textFault(
    'success-for-error',
    'turn query errors into ok',
    (m) => m.type === 'error' && typeof m.queryId === 'string',
    (m) => [text({ type: 'ok', queryId: m.queryId })],
  ),
  textFault('flip-cancelled', 'invert cancelAck.cancelled', is('cancelAck'), (m) => [
    text({ ...m, cancelled: !m.cancelled }),
  ]),
  textFault('alter-json-data', 'change the rows of json results', is('json'), (m) => [
    text({ ...m, data: String(m.data).replace(/\d/, (d) => String((Number(d) + 1) % 10)) }),
  ]),
  textFault(
    'json-data-not-text',
    'send data as an array instead of text',
    (m) => m.type === 'json' && String(m.data).startsWith('['),
    (m) => [text({ ...m, data: JSON.parse(String(m.data)) })],
  ),
  textFault('alter-notify-payload', 'change notify payloads', is('notify'), (m) => [
    text({ ...m, payload: { changed: true } }),
  ]),
  textFault('error-text-drop', 'send errors with an empty text', is('error'), (m) => [text({ ...m, error: '' })]),
  textFault('extra-reply', 'follow every ok with a second ok for another query', is('ok'), (m) => [
    text(m),
    text({ type: 'ok', queryId: 'ghost' }),
  ]),
  swapFault('reorder-notify-ack', 'send notifyAck before the publisher’s own notify', is('notify')),
  swapFault('reorder-immediate', 'answer subscribe after the next reply', is('subscribed')),
  swapFault('reorder-auth-ack', 'answer authAck after the next reply', is('authAck')),
  arrowFault('arrow-wrong-query-id', 'answer Arrow results with another queryId', (h, p) => [
    binary({ ...h, queryId: `${h.queryId}-x` }, p),
  ]),
  arrowFault('arrow-truncated', 'cut Arrow results in half', (h, p) => [
    binary(h, p.subarray(0, Math.floor(p.byteLength / 2))),
  ]),
  arrowFault('arrow-as-text', 'send Arrow results as a json reply', (h) => [
    text({ type: 'json', queryId: h.queryId, data: '[]' }),
  ]),
  arrowFault('arrow-altered-values', 'add one to every INTEGER value of Arrow results', (h, p) => [
    binary(h, bumpInt32(p)),
  ]),
  arrowFault('arrow-dropped', 'never send Arrow results', () => []),
  arrowFault('arrow-bad-length', 'write a header length one too large', (h, p) => {
    const frame = Buffer.from(encodeFrame(h as BinaryHeader, p));
    frame.writeUInt32BE(frame.readUInt32BE(0) + 1, 0);
    return [{ data: frame, isBinary: true }];
  }),
  {
    id: 'close-code-1000',
    description: 'close with 1000 instead of 4401 after unauthorized',
    harmful: true,
    session: () => ({ onMessage: (m) => [m], onClose: (code) => (code === 4401 ? 1000 : code) }),
  },
  {
    id: 'stay-open-after-unauthorized',
    description: 'keep the connection open after unauthorized',
    harmful: true,
    session: () => ({ onMessage: (m) => [m], onClose: (code) => (code === 4401 ? null : code) }),
  },
];

/** Benign changes: a correct client copes, so no check may fail. */
export const benignFaults: Fault[] = [
  textFault(
    'extra-fields',
    'add an unknown field to every text message',
    () => true,
    (m) => [text({ ...m, 'x-extension': { any: [1] } })],
    false,
  ),
  textFault(
    'reformatted-json',
    'reformat every text message with other whitespace',
    () => true,
    (m) => [{ data: Buffer.from(JSON.stringify(m, null, 2)), isBinary: false }],
    false,
  ),
];
