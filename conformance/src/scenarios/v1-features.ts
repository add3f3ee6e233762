/**
 * duckwire.v1 features beyond v1.ts: chunked and file uploads (protocol.md#v1-uploads), compressed
 * results (#compression), progress (#progress), what sessions do and do not carry
 * (#sessions-and-transactions), timeouts, admission and message limits
 * (#timeouts-admission-and-liveness). Each is skipped unless hello announces its capability.
 */
import {
  ENDLESS_SQL,
  MUST,
  close,
  error,
  expectClose,
  expectNext,
  expectText,
  jsonRows,
  open,
  q,
  scenario,
  send,
  sendFrame,
  silence,
} from './dsl.js';
import type { Scenario, Step } from '../scenario/schema.js';

const openV1 = (conn = 'a'): Step => open(conn, { protocols: ['duckwire.v1'] });
const ints = (values: number[]) => [{ name: 'x', type: 'Int32' as const, values }];
const X = ints([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
/** One part of the IPC stream of X: bytes [from, to). */
const part = (header: Record<string, unknown>, from: number, to?: number): Step =>
  sendFrame({ header, payload: { arrow: { columns: X, slice: { from, ...(to === undefined ? {} : { to }) } } } });
const sumOfX = (queryId: string) => jsonRows(queryId, 'select sum(x)::int as s, count(*)::int as n from {{ns}}', [{ s: 55, n: 10 }]);
const file = (queryId: string, format: string, text: string, extra: Record<string, unknown> = {}): Step =>
  sendFrame({ header: { type: 'uploadFile', queryId, tableName: '{{ns}}', format, ...extra }, payload: { utf8: text } });
const acked = (queryId: string): Step => expectText({ type: 'uploadAck', queryId });
const range = (n: number) => Array.from({ length: n }, (_, x) => ({ x }));

const uploads: Scenario[] = [
  scenario({
    id: 'v1.upload.chunked',
    title: 'A chunked uploadArrow cut anywhere (inside a message, with an empty part) loads the whole stream',
    spec: 'protocol.md#chunked-arrow-upload-capability-chunkedupload',
    level: MUST,
    requires: ['v1', 'chunkedUpload'],
    steps: [
      openV1(),
      part({ type: 'uploadArrow', queryId: 'u1', tableName: '{{ns}}', chunked: true }, 0, 37),
      part({ type: 'uploadChunk', queryId: 'u1' }, 37, 37),
      part({ type: 'uploadChunk', queryId: 'u1' }, 37, 150),
      silence(100),
      part({ type: 'uploadChunk', queryId: 'u1', last: true }, 150),
      acked('u1'),
      ...sumOfX('q1'),
    ],
  }),
  scenario({
    id: 'v1.upload.chunked-cancel',
    title: 'cancel of a chunked upload: cancelAck true, error cancelled, nothing created; its later parts get no reply',
    spec: 'protocol.md#chunked-arrow-upload-capability-chunkedupload',
    level: MUST,
    requires: ['v1', 'chunkedUpload'],
    steps: [
      openV1(),
      part({ type: 'uploadArrow', queryId: 'u1', tableName: '{{ns}}', chunked: true }, 0, 60),
      send({ type: 'cancel', queryId: 'u1' }),
      expectText({ type: 'cancelAck', queryId: 'u1', cancelled: true }),
      expectText(error('cancelled', 'u1')),
      part({ type: 'uploadChunk', queryId: 'u1', last: true }, 60),
      silence(150),
      send(q('json', 'q1', 'select count(*) as n from {{ns}}')),
      expectText(error('query_failed', 'q1')),
    ],
  }),
  scenario({
    id: 'v1.upload.chunk-unknown',
    title: 'uploadChunk of no upload in progress is invalid_state without queryId',
    spec: 'protocol.md#chunked-arrow-upload-capability-chunkedupload',
    level: MUST,
    requires: ['v1', 'chunkedUpload'],
    steps: [openV1(), part({ type: 'uploadChunk', queryId: 'nothing', last: true }, 0), expectText(error('invalid_state'))],
  }),
  scenario({
    id: 'v1.upload.chunked-needs-query-id',
    title: 'A chunked uploadArrow without queryId is invalid_message',
    spec: 'protocol.md#chunked-arrow-upload-capability-chunkedupload',
    level: MUST,
    requires: ['v1', 'chunkedUpload'],
    steps: [
      openV1(),
      part({ type: 'uploadArrow', tableName: '{{ns}}', chunked: true }, 0),
      expectText(error('invalid_message')),
    ],
  }),
  scenario({
    id: 'v1.upload.chunked-not-arrow',
    title: 'A chunked upload whose bytes are not Arrow IPC is upload_failed and creates nothing',
    spec: 'protocol.md#chunked-arrow-upload-capability-chunkedupload',
    level: MUST,
    requires: ['v1', 'chunkedUpload'],
    steps: [
      openV1(),
      sendFrame({
        header: { type: 'uploadArrow', queryId: 'u1', tableName: '{{ns}}', chunked: true },
        payload: { utf8: 'this is not' },
      }),
      sendFrame({ header: { type: 'uploadChunk', queryId: 'u1', last: true }, payload: { utf8: ' an arrow stream' } }),
      expectText(error('upload_failed', 'u1')),
      send(q('json', 'q1', 'select count(*) as n from {{ns}}')),
      expectText(error('query_failed', 'q1')),
    ],
  }),
  scenario({
    id: 'v1.upload.file-csv',
    title: 'uploadFile format csv creates the table with the detected columns',
    spec: 'protocol.md#file-upload-capability-fileupload',
    level: MUST,
    requires: ['v1', 'fileUpload'],
    steps: [
      openV1(),
      file('f1', 'csv', 'a,b\n1,duck\n2,goose\n'),
      acked('f1'),
      ...jsonRows('q1', 'select a::int as a, b from {{ns}} order by a', [
        { a: 1, b: 'duck' },
        { a: 2, b: 'goose' },
      ]),
    ],
  }),
  scenario({
    id: 'v1.upload.file-json',
    title: 'uploadFile format json reads an array of objects',
    spec: 'protocol.md#file-upload-capability-fileupload',
    level: MUST,
    requires: ['v1', 'fileUpload'],
    steps: [
      openV1(),
      file('f1', 'json', '[{"a":1,"b":"x"},{"a":2,"b":"y"}]'),
      acked('f1'),
      ...jsonRows('q1', 'select a::int as a, b from {{ns}} order by a', [
        { a: 1, b: 'x' },
        { a: 2, b: 'y' },
      ]),
    ],
  }),
  scenario({
    id: 'v1.upload.file-arrow',
    title: 'uploadFile format arrow loads an IPC stream like uploadArrow',
    spec: 'protocol.md#file-upload-capability-fileupload',
    level: MUST,
    requires: ['v1', 'fileUpload'],
    steps: [
      openV1(),
      sendFrame({
        header: { type: 'uploadFile', queryId: 'f1', tableName: '{{ns}}', format: 'arrow' },
        payload: { arrow: { columns: X } },
      }),
      acked('f1'),
      ...sumOfX('q1'),
    ],
  }),
  scenario({
    id: 'v1.upload.file-unreadable',
    title: 'A file DuckDB cannot read is upload_failed, and no server path is shown',
    spec: 'protocol.md#file-upload-capability-fileupload',
    level: MUST,
    requires: ['v1', 'fileUpload'],
    steps: [
      openV1(),
      file('f1', 'parquet', 'definitely not parquet'),
      expectText({ ...error('upload_failed', 'f1'), error: { $not: { $regex: '/(tmp|var|home)/' } } }),
      send(q('json', 'q1', 'select count(*) as n from {{ns}}')),
      expectText(error('query_failed', 'q1')),
    ],
  }),
  scenario({
    id: 'v1.upload.file-chunked',
    title: 'A chunked uploadFile continues in uploadChunk frames',
    spec: 'protocol.md#file-upload-capability-fileupload',
    level: MUST,
    requires: ['v1', 'fileUpload', 'chunkedUpload'],
    steps: [
      openV1(),
      file('f1', 'csv', 'a,b\n1,du', { chunked: true }),
      sendFrame({ header: { type: 'uploadChunk', queryId: 'f1', last: true }, payload: { utf8: 'ck\n2,goose\n' } }),
      acked('f1'),
      ...jsonRows('q1', "select string_agg(b, ',' order by a) as b from {{ns}}", [{ b: 'duck,goose' }]),
    ],
  }),
];

const compressed = (codec: 'zstd' | 'lz4'): Scenario =>
  scenario({
    id: `v1.compression.${codec}`,
    title: `compression "${codec}": record batches carry Arrow body compression and decode to the same values`,
    spec: 'protocol.md#compression',
    level: MUST,
    requires: ['v1', 'compression', `compression:${codec}`],
    steps: [
      openV1(),
      send(q('arrow', 'z1', 'select range::int as x from range(3000)', { compression: codec })),
      {
        do: 'expect',
        conn: 'a',
        binary: {
          header: { type: 'arrow', queryId: 'z1' },
          compressed: true,
          arrow: { schema: [{ name: 'x', type: 'Int32' }], numRows: 3000, rows: range(3000) },
        },
      },
    ],
  });

const compression: Scenario[] = [
  compressed('zstd'),
  compressed('lz4'),
  scenario({
    id: 'v1.compression.unknown-codec',
    title: 'A codec not in hello.compression is invalid_message',
    spec: 'protocol.md#compression',
    level: MUST,
    requires: ['v1', 'compression'],
    steps: [
      openV1(),
      send(q('arrow', 'z1', 'select 1 as x', { compression: 'brotli' })),
      expectText(error('invalid_message', 'z1')),
    ],
  }),
];

const progress: Scenario[] = [
  scenario({
    id: 'v1.progress',
    title: 'progress: true — progress messages (if any) carry the queryId and come before the terminal reply, never after',
    spec: 'protocol.md#progress',
    level: MUST,
    requires: ['v1', 'progress'],
    steps: [
      openV1(),
      send(q('exec', 'c', 'create table {{ns}} as select range as x from range(3000000)')),
      expectText({ type: 'ok', queryId: 'c' }),
      send(q('json', 'g', 'select count(distinct x % 1000003)::int as n from {{ns}}', { progress: true })),
      {
        do: 'expect',
        conn: 'a',
        many: true,
        text: {
          type: 'progress',
          queryId: 'g',
          percent: { $gte: 0 },
          rowsProcessed: { $gte: 0 },
          totalRows: { $gte: 0 },
        },
      },
      expectNext({ type: 'json', queryId: 'g', data: { $json: [{ n: 1000003 }] } }),
    ],
  }),
];

const sessions: Scenario[] = [
  scenario({
    id: 'v1.session.nothing-reaches-another-connection',
    title: 'Without a session, SET and temporary tables of one connection never reach another connection',
    spec: 'protocol.md#sessions-and-transactions',
    level: MUST,
    requires: ['v1'],
    steps: [
      openV1('a'),
      send(q('exec', 'e1', "set TimeZone = 'America/Lima'; create temp table tt_{{ns}} (x int)")),
      expectText({ type: 'ok', queryId: 'e1' }),
      openV1('b'),
      send(q('json', 'q1', "select current_setting('TimeZone') as tz"), 'b'),
      expectText({ type: 'json', queryId: 'q1', data: { $not: { $contains: 'America/Lima' } } }, 'b'),
      send(q('json', 'q2', 'select count(*) as n from tt_{{ns}}'), 'b'),
      expectText(error('query_failed', 'q2'), 'b'),
    ],
  }),
  scenario({
    id: 'v1.session.ended-state-gone',
    title: 'endSession resets the connection: a temporary table of the session is gone afterwards',
    spec: 'protocol.md#sessions-and-transactions',
    level: MUST,
    requires: ['v1', 'session'],
    steps: [
      openV1(),
      send({ type: 'beginSession', queryId: 's' }),
      send(q('exec', 'e1', 'create temp table tt_{{ns}} (x int)')),
      expectText({ type: 'ok', queryId: 's' }),
      expectText({ type: 'ok', queryId: 'e1' }),
      send({ type: 'endSession', queryId: 'e' }),
      expectText({ type: 'ok', queryId: 'e' }),
      openV1('b'),
      send({ type: 'beginSession', queryId: 's2' }, 'b'),
      expectText({ type: 'ok', queryId: 's2' }, 'b'),
      send(q('json', 'q1', 'select count(*) as n from tt_{{ns}}'), 'b'),
      expectText(error('query_failed', 'q1'), 'b'),
    ],
  }),
  scenario({
    id: 'v1.session.invalid-state',
    title: 'beginSession inside a session and endSession without one are invalid_state with the queryId',
    spec: 'protocol.md#sessions-and-transactions',
    level: MUST,
    requires: ['v1', 'session'],
    steps: [
      openV1(),
      send({ type: 'endSession', queryId: 'e0' }),
      expectText(error('invalid_state', 'e0')),
      send({ type: 'beginSession', queryId: 's1' }),
      expectText({ type: 'ok', queryId: 's1' }),
      send({ type: 'beginSession', queryId: 's2' }),
      expectText(error('invalid_state', 's2')),
      send({ type: 'endSession', queryId: 'e1' }),
      expectText({ type: 'ok', queryId: 'e1' }),
    ],
  }),
  scenario({
    id: 'v1.session.close-rolls-back',
    title: 'Closing the socket during a session rolls back its open transaction',
    spec: 'protocol.md#sessions-and-transactions',
    level: MUST,
    requires: ['v1', 'session'],
    steps: [
      openV1('a'),
      send(q('exec', 'c', 'create table {{ns}} (x int)')),
      expectText({ type: 'ok', queryId: 'c' }),
      send({ type: 'beginSession', queryId: 's' }),
      send(q('exec', 'b', 'begin; insert into {{ns}} values (1)')),
      expectText({ type: 'ok', queryId: 's' }),
      expectText({ type: 'ok', queryId: 'b' }),
      close('a'),
      openV1('b'),
      ...jsonRows('q', 'select count(*)::int as n from {{ns}}', [{ n: 0 }], 'b'),
    ],
  }),
];

const limits: Scenario[] = [
  scenario({
    id: 'v1.timeout.no-effect',
    title: 'A statement stopped by timeoutMs is answered timeout and did not take effect',
    spec: 'protocol.md#timeouts-admission-and-liveness',
    level: MUST,
    requires: ['v1', 'timeout'],
    steps: [
      openV1(),
      send(q('exec', 't1', `create table {{ns}} as ${ENDLESS_SQL}`, { timeoutMs: 100 })),
      expectText(error('timeout', 't1')),
      send(q('json', 'q1', 'select * from {{ns}}')),
      expectText(error('query_failed', 'q1')),
    ],
  }),
  scenario({
    id: 'v1.timeout.not-reached',
    title: 'A query that ends within timeoutMs is answered as usual',
    spec: 'protocol.md#timeouts-admission-and-liveness',
    level: MUST,
    requires: ['v1', 'timeout'],
    steps: [
      openV1(),
      send(q('json', 't1', 'select 1 as x', { timeoutMs: 60000 })),
      expectText({ type: 'json', queryId: 't1', data: { $json: [{ x: 1 }] } }),
    ],
  }),
  scenario({
    id: 'v1.overloaded',
    title: 'A query beyond limits.maxInFlightPerConnection is answered overloaded with retryAfterMs, and not run',
    spec: 'protocol.md#timeouts-admission-and-liveness',
    level: MUST,
    requires: ['v1'],
    serial: true,
    steps: [
      openV1(),
      { do: 'send', conn: 'a', message: q('json', 'busy-{{i}}', ENDLESS_SQL), repeat: 'maxInFlightPerConnection' },
      send(q('exec', 'extra', 'create table {{ns}} (x int)')),
      expectText({ ...error('overloaded', 'extra'), retryAfterMs: { $gte: 0 } }),
      close('a'),
      openV1('b'),
      send(q('json', 'q1', 'select count(*) as n from {{ns}}'), 'b'),
      expectText(error('query_failed', 'q1'), 'b'),
    ],
  }),
  scenario({
    id: 'v1.message-too-large',
    title: 'A text message one byte over limits.maxTextMessageBytes: message_too_large naming the limit, close 1009',
    spec: 'protocol.md#errors',
    level: MUST,
    requires: ['v1'],
    steps: [
      openV1(),
      {
        do: 'sendText',
        conn: 'a',
        text: '{"type":"json","queryId":"big","sql":"select 1"}',
        padToLimit: 'maxTextMessageBytes',
      },
      expectText({ ...error('message_too_large'), error: { $contains: 'maxTextMessageBytes' } }),
      expectClose(1009),
    ],
  }),
];

export const v1FeatureScenarios: Scenario[] = [...uploads, ...compression, ...progress, ...sessions, ...limits];
