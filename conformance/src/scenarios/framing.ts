/** Transport and binary framing: protocol.md#transport and #frame-decoding. */
import {
  MUST,
  SHOULD,
  error,
  expectArrow,
  expectText,
  jsonRows,
  open,
  q,
  scenario,
  send,
  sendFrame,
  sendHex,
} from './dsl.js';
import type { Scenario } from '../scenario/schema.js';

const stillUsable = (id = 'after') => jsonRows(id, 'select 42 as answer', [{ answer: 42 }]);

const frameFault = (fault: string, title: string, hex: string): Scenario =>
  scenario({
    id: `frame.${fault.replaceAll('_', '-')}`,
    title: `A binary message with ${title} is refused with invalid_frame (${fault}) and the connection stays usable`,
    spec: 'protocol.md#frame-decoding',
    level: MUST,
    steps: [
      open(),
      sendHex(hex),
      expectText(error('invalid_frame', undefined, { error: { $contains: fault } })),
      ...stillUsable(),
    ],
  });

const hex = (text: string) => Buffer.from(text, 'utf8').toString('hex');
const u32 = (n: number) => n.toString(16).padStart(8, '0');

export const framingScenarios: Scenario[] = [
  scenario({
    id: 'transport.connect',
    title: 'A WebSocket at / without subprotocol accepts a query and answers it',
    spec: 'protocol.md#one-websocket-endpoint',
    level: MUST,
    steps: [open(), ...jsonRows('q1', 'select 1 as x', [{ x: 1 }])],
  }),
  scenario({
    id: 'transport.arrow-frame',
    title:
      'An Arrow result is one binary message: u32 big-endian length, header {"type":"arrow","queryId"}, Arrow IPC stream',
    spec: 'protocol.md#arrow-result-binary',
    level: MUST,
    steps: [
      open(),
      send(q('arrow', 'q1', 'select 1 as x')),
      expectArrow('q1', { schema: [{ name: 'x', type: 'Int32' }], rows: [{ x: 1 }] }),
    ],
  }),
  scenario({
    id: 'transport.unknown-fields-ignored',
    title: 'Unknown fields of a client message are ignored (forward compatibility)',
    spec: 'protocol.md#messages',
    level: MUST,
    steps: [
      open(),
      ...jsonRows('q1', 'select 2 as y', [{ y: 2 }]).map((step, i) =>
        i === 0 ? send({ ...q('json', 'q1', 'select 2 as y'), futureField: { nested: [1] }, another: null }) : step,
      ),
    ],
  }),
  scenario({
    id: 'transport.several-connections',
    title: 'Several connections are served at once, each gets its own replies',
    spec: 'protocol.md#overview',
    level: MUST,
    steps: [
      open('a'),
      open('b'),
      send(q('json', 'same', 'select 1 as v'), 'a'),
      send(q('json', 'same', 'select 2 as v'), 'b'),
      expectText({ type: 'json', queryId: 'same', data: { $json: [{ v: 1 }] } }, 'a'),
      expectText({ type: 'json', queryId: 'same', data: { $json: [{ v: 2 }] } }, 'b'),
    ],
  }),
  frameFault('too_short', 'fewer than 4 bytes', '000001'),
  scenario({
    id: 'frame.empty-message',
    title: 'An empty binary message is too_short',
    spec: 'protocol.md#frame-decoding',
    level: MUST,
    steps: [
      open(),
      sendHex(''),
      expectText(error('invalid_frame', undefined, { error: { $contains: 'too_short' } })),
      ...stillUsable(),
    ],
  }),
  frameFault('empty_header', 'a header length of 0', `${u32(0)}${hex('{}')}`),
  frameFault('header_out_of_bounds', 'a header length past the end', `${u32(100)}${hex('{"type":"uploadArrow"}')}`),
  scenario({
    id: 'frame.header-length-max',
    title: 'A header length of 0xFFFFFFFF is header_out_of_bounds',
    spec: 'protocol.md#frame-decoding',
    level: MUST,
    steps: [
      open(),
      sendHex(`ffffffff${hex('{"type":"uploadArrow"}')}`),
      expectText(error('invalid_frame', undefined, { error: { $contains: 'header_out_of_bounds' } })),
      ...stillUsable(),
    ],
  }),
  frameFault('header_not_utf8', 'a header that is not UTF-8', `${u32(4)}7bff227d`),
  frameFault('header_not_json', 'a header that is not JSON', `${u32(5)}${hex('{type')}`),
  frameFault('header_not_object', 'a header that is a JSON array', `${u32(2)}${hex('[]')}`),
  scenario({
    id: 'frame.header-not-object-null',
    title: 'A header that is JSON null, a number or a string is header_not_object',
    spec: 'protocol.md#frame-decoding',
    level: MUST,
    steps: [
      open(),
      sendHex(`${u32(4)}${hex('null')}`),
      expectText(error('invalid_frame', undefined, { error: { $contains: 'header_not_object' } })),
      sendHex(`${u32(2)}${hex('42')}`),
      expectText(error('invalid_frame', undefined, { error: { $contains: 'header_not_object' } })),
      sendHex(`${u32(3)}${hex('"x"')}`),
      expectText(error('invalid_frame', undefined, { error: { $contains: 'header_not_object' } })),
      ...stillUsable(),
    ],
  }),
  scenario({
    id: 'frame.header-without-type',
    title: 'A binary header object without a string type is invalid_message',
    spec: 'protocol.md#frame-decoding',
    level: MUST,
    steps: [open(), sendFrame({ header: { tableName: 't' } }), expectText(error('invalid_message')), ...stillUsable()],
  }),
  scenario({
    id: 'frame.header-unknown-type',
    title: 'A binary header of unknown type (e.g. json) is unknown_type, echoing a valid queryId',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      sendFrame({ header: { type: 'json', queryId: 'b1' } }),
      expectText(error('unknown_type', 'b1')),
      ...stillUsable(),
    ],
  }),
  scenario({
    id: 'frame.upload-header-missing-table',
    title: 'An uploadArrow header without tableName is invalid_message with its queryId',
    spec: 'protocol.md#uploadarrow-binary',
    level: MUST,
    steps: [
      open(),
      sendFrame({ header: { type: 'uploadArrow', queryId: 'u1' } }),
      expectText(error('invalid_message', 'u1')),
      ...stillUsable(),
    ],
  }),
  scenario({
    id: 'frame.header-length-counts-bytes',
    title: 'The header length counts UTF-8 bytes, not characters (a non-ASCII table name)',
    spec: 'protocol.md#one-websocket-endpoint',
    level: MUST,
    steps: [
      open(),
      sendFrame({
        header: { type: 'uploadArrow', queryId: 'u1', tableName: '"{{ns}}_é✓"' },
        payload: { arrow: { columns: [{ name: 'x', type: 'Int32', values: [1] }] } },
      }),
      expectText({ type: 'uploadAck', queryId: 'u1' }),
      ...jsonRows('q1', 'select x from "{{ns}}_é✓"', [{ x: 1 }]),
    ],
  }),
  scenario({
    id: 'transport.binary-not-reply-to-text',
    title: 'A binary message from the client is never answered with a binary message of another type',
    spec: 'protocol.md#one-websocket-endpoint',
    level: SHOULD,
    steps: [
      open(),
      sendFrame({ header: { type: 'arrow', queryId: 'b2', sql: 'select 1' } }),
      expectText(error('unknown_type', 'b2')),
      ...stillUsable(),
    ],
  }),
];
