/** Refused text messages and the error reply they get: protocol.md#errors, #messages. */
import { MUST, SHOULD, error, expectText, jsonRows, open, q, scenario, send, sendText, SLOW_SQL } from './dsl.js';
import type { Scenario } from '../scenario/schema.js';

const usable = () => jsonRows('after', 'select 7 as n', [{ n: 7 }]);

const refused = (id: string, title: string, text: string, code: string, queryId?: string, level = MUST): Scenario =>
  scenario({
    id: `message.${id}`,
    title,
    spec: 'protocol.md#errors',
    level,
    steps: [open(), sendText(text), expectText(error(code, queryId)), ...usable()],
  });

export const messageScenarios: Scenario[] = [
  refused(
    'invalid-json',
    'Text that is not JSON is invalid_json without queryId; the connection stays open',
    '{"type":"json",',
    'invalid_json',
  ),
  refused('json-array', 'A JSON array is invalid_message', '[{"type":"json","sql":"select 1"}]', 'invalid_message'),
  refused('json-null', 'JSON null is invalid_message', 'null', 'invalid_message'),
  refused('json-string', 'A JSON string is invalid_message', '"json"', 'invalid_message'),
  refused(
    'no-type',
    'An object without type is invalid_message, echoing its valid queryId',
    '{"queryId":"m1","sql":"select 1"}',
    'invalid_message',
    'm1',
  ),
  refused(
    'type-not-string',
    'A non-string type is invalid_message',
    '{"type":7,"queryId":"m1"}',
    'invalid_message',
    'm1',
  ),
  refused(
    'unknown-type',
    'An unknown type is unknown_type, echoing its queryId',
    '{"type":"frobnicate","queryId":"m1"}',
    'unknown_type',
    'm1',
  ),
  refused(
    'server-type-from-client',
    'A server message type sent by a client (cancelAck) is unknown_type',
    '{"type":"cancelAck","queryId":"m1","cancelled":true}',
    'unknown_type',
    'm1',
  ),
  refused(
    'missing-sql',
    'A query without sql is invalid_message with its queryId',
    '{"type":"json","queryId":"m1"}',
    'invalid_message',
    'm1',
  ),
  refused(
    'empty-sql',
    'Empty sql is invalid_message',
    '{"type":"arrow","queryId":"m1","sql":""}',
    'invalid_message',
    'm1',
  ),
  refused(
    'sql-not-string',
    'A non-string sql is invalid_message',
    '{"type":"exec","queryId":"m1","sql":["select 1"]}',
    'invalid_message',
    'm1',
  ),
  refused(
    'persist-not-boolean',
    'A non-boolean persist is invalid_message',
    '{"type":"json","queryId":"m1","sql":"select 1","persist":"yes"}',
    'invalid_message',
    'm1',
  ),
  refused('cancel-without-id', 'cancel without queryId is invalid_message', '{"type":"cancel"}', 'invalid_message'),
  refused(
    'subscribe-without-channel',
    'subscribe without channel is invalid_message',
    '{"type":"subscribe"}',
    'invalid_message',
  ),
  refused(
    'notify-empty-channel',
    'notify with an empty channel is invalid_message',
    '{"type":"notify","channel":""}',
    'invalid_message',
  ),
  refused(
    'channel-too-long',
    'A channel of 257 characters is invalid_message',
    JSON.stringify({ type: 'subscribe', channel: 'c'.repeat(257) }),
    'invalid_message',
  ),
  scenario({
    id: 'message.invalid-queryid-empty',
    title: 'An empty queryId is invalid_message and is not echoed (the reply must keep its own schema)',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      send({ type: 'json', queryId: '', sql: 'select 1' }),
      expectText(error('invalid_message')),
      ...usable(),
    ],
  }),
  scenario({
    id: 'message.invalid-queryid-too-long',
    title: 'A queryId of 1025 characters is invalid_message and is not echoed',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      send({ type: 'json', queryId: 'x'.repeat(1025), sql: 'select 1' }),
      expectText(error('invalid_message')),
      ...usable(),
    ],
  }),
  scenario({
    id: 'message.invalid-queryid-number',
    title: 'A numeric queryId is invalid_message and is not echoed',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      sendText('{"type":"json","queryId":12,"sql":"select 1"}'),
      expectText(error('invalid_message')),
      ...usable(),
    ],
  }),
  scenario({
    id: 'message.queryid-max-length',
    title: 'A queryId of 1024 characters is accepted and echoed',
    spec: 'protocol.md#messages',
    level: MUST,
    steps: [open(), ...jsonRows('k'.repeat(1024), 'select 1 as x', [{ x: 1 }])],
  }),
  scenario({
    id: 'message.queryid-unicode',
    title: 'A queryId with non-ASCII characters is echoed unchanged',
    spec: 'protocol.md#messages',
    level: MUST,
    steps: [open(), ...jsonRows('héllo✓"\\/\u0001', 'select 1 as x', [{ x: 1 }])],
  }),
  scenario({
    id: 'message.error-has-code',
    title: 'Every error reply carries a machine-readable code (duckwire addition)',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'e1', 'select * from no_such_table_{{ns}}')),
      expectText({ type: 'error', queryId: 'e1', error: { $contains: 'no_such_table' }, code: 'query_failed' }),
    ],
  }),
  scenario({
    id: 'message.precedence-json-over-auth-fields',
    title: 'Several faults: unknown type wins over missing fields',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [open(), send({ type: 'frobnicate', queryId: 'm1' }), expectText(error('unknown_type', 'm1')), ...usable()],
  }),
  scenario({
    id: 'message.precedence-invalid-over-duplicate',
    title:
      'Several faults: an invalid message that reuses an in-flight queryId is invalid_message without that queryId, and the original query goes on',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'd1', SLOW_SQL)),
      send({ type: 'json', queryId: 'd1', maxRows: 0, sql: 'select 1' }),
      expectText(error('invalid_message')),
      expectText({ type: 'json', queryId: 'd1', data: { $json: [{ n: { $type: 'number' } }] } }),
    ],
  }),
  scenario({
    id: 'message.precedence-duplicate-over-sql',
    title:
      'Several faults: a well-formed query with an in-flight queryId is duplicate_query_id even if its SQL would fail',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'd1', SLOW_SQL)),
      send(q('json', 'd1', 'select * from no_such_table')),
      expectText(error('duplicate_query_id', 'd1')),
      expectText({ type: 'json', queryId: 'd1', data: { $json: [{ n: { $type: 'number' } }] } }),
    ],
  }),
  scenario({
    id: 'message.error-text-not-empty',
    title: 'An error text is a non-empty human-readable message',
    spec: 'protocol.md#error',
    level: SHOULD,
    steps: [open(), sendText('nope'), expectText(error('invalid_json', undefined, { error: { $regex: '.{3,}' } }))],
  }),
  scenario({
    id: 'message.unknown-type-running-query-id',
    title: 'unknown_type for a message that reuses the queryId of a running query omits it: that query goes on to its own reply',
    spec: 'protocol.md#errors',
    level: MUST,
    steps: [
      open(),
      send(q('json', 'r1', SLOW_SQL)),
      send({ type: 'somethingNew', queryId: 'r1' }),
      expectText(error('unknown_type')),
      expectText({ type: 'json', queryId: 'r1', data: { $json: [{ n: { $type: 'number' } }] } }),
    ],
  }),
];
