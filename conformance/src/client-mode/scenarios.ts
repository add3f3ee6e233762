/**
 * Client-mode scenarios: the suite plays a scripted server, the client under test performs one
 * action, and its driver reports the outcome. Each checks a MUST of protocol.md for clients.
 */
import { Type } from '@sinclair/typebox';
import { Level, Pattern } from '../scenario/schema.js';

/** What the driver asks its client to do. */
export const ClientAction = Type.Object({
  do: Type.Literal('query'),
  type: Type.Union([Type.Literal('arrow'), Type.Literal('json'), Type.Literal('exec')]),
  sql: Type.String(),
});

/** One step of the scripted server: expect a client message, or send something. */
export const ServerStep = Type.Union([
  Type.Object({ expect: Pattern }),
  Type.Object({ sendText: Type.String({ description: '{{queryId}} is the captured queryId.' }) }),
  Type.Object({
    sendArrow: Type.Object({
      columns: Type.Array(Type.Object({ name: Type.String(), values: Type.Array(Type.Integer()) })),
    }),
  }),
  Type.Object({
    sendHex: Type.String({ description: 'Raw binary message; {{header}} is replaced by a framed arrow header.' }),
  }),
]);

/** A client-mode scenario. */
export const ClientScenario = Type.Object({
  id: Type.String({ pattern: '^client\\.[a-z0-9.-]+$' }),
  title: Type.String(),
  spec: Type.String(),
  level: Level,
  action: ClientAction,
  script: Type.Array(ServerStep),
  outcome: Pattern,
});
export type ClientScenario = typeof ClientScenario.static;

const arrowQuery = { do: 'query' as const, type: 'arrow' as const, sql: 'select 1 as x' };
const expectArrow = { expect: { type: 'arrow', sql: 'select 1 as x', queryId: { $capture: 'queryId' } } };
const expectJson = { expect: { type: 'json', sql: 'select 1 as x', queryId: { $capture: 'queryId' } } };
const one = { sendArrow: { columns: [{ name: 'x', values: [1] }] } };

export const clientScenarios: ClientScenario[] = [
  {
    id: 'client.arrow-result',
    title: 'An Arrow result is decoded into rows',
    spec: 'protocol.md#arrow-result-binary',
    level: 'MUST',
    action: arrowQuery,
    script: [expectArrow, one],
    outcome: { ok: true, rows: [{ x: 1 }] },
  },
  {
    id: 'client.json-result',
    title: 'A json result is parsed from the data text',
    spec: 'protocol.md#json-result',
    level: 'MUST',
    action: { ...arrowQuery, type: 'json' },
    script: [expectJson, { sendText: '{"type":"json","queryId":"{{queryId}}","data":"[{\\"x\\":1}]"}' }],
    outcome: { ok: true, rows: [{ x: 1 }] },
  },
  {
    id: 'client.ok-is-empty',
    title: 'ok for an arrow query is an empty result',
    spec: 'protocol.md#ok',
    level: 'MUST',
    action: arrowQuery,
    script: [expectArrow, { sendText: '{"type":"ok","queryId":"{{queryId}}"}' }],
    outcome: { ok: true, rows: [] },
  },
  {
    id: 'client.error',
    title: 'An error ends the query as failed with its text',
    spec: 'protocol.md#error',
    level: 'MUST',
    action: arrowQuery,
    script: [
      expectArrow,
      { sendText: '{"type":"error","queryId":"{{queryId}}","error":"boom","code":"query_failed"}' },
    ],
    outcome: { ok: false, error: { $contains: 'boom' } },
  },
  {
    id: 'client.unknown-code',
    title: 'An unknown error code is a failure like query_failed',
    spec: 'protocol.md#errors',
    level: 'MUST',
    action: arrowQuery,
    script: [
      expectArrow,
      { sendText: '{"type":"error","queryId":"{{queryId}}","error":"odd","code":"brand_new_code"}' },
    ],
    outcome: { ok: false },
  },
  {
    id: 'client.unknown-fields',
    title: 'Unknown fields of a reply are ignored',
    spec: 'protocol.md#messages',
    level: 'MUST',
    action: { ...arrowQuery, type: 'json' },
    script: [
      expectJson,
      { sendText: '{"type":"json","queryId":"{{queryId}}","data":"[{\\"x\\":1}]","future":{"a":1}}' },
    ],
    outcome: { ok: true, rows: [{ x: 1 }] },
  },
  {
    id: 'client.unknown-type-ignored',
    title: 'A server message of unknown type without queryId is ignored',
    spec: 'protocol.md#versioning-rules',
    level: 'MUST',
    action: arrowQuery,
    script: [expectArrow, { sendText: '{"type":"somethingNew","x":1}' }, one],
    outcome: { ok: true, rows: [{ x: 1 }] },
  },
  {
    id: 'client.duplicate-not-terminal',
    title: 'duplicate_query_id does not end the query it names',
    spec: 'protocol.md#errors',
    level: 'MUST',
    action: arrowQuery,
    script: [
      expectArrow,
      { sendText: '{"type":"error","queryId":"{{queryId}}","error":"dup","code":"duplicate_query_id"}' },
      one,
    ],
    outcome: { ok: true, rows: [{ x: 1 }] },
  },
  {
    id: 'client.aborted-arrow',
    title: 'An Arrow result that does not decode is a failure; the error that follows ends it',
    spec: 'protocol.md#arrow-result-binary',
    level: 'MUST',
    action: arrowQuery,
    script: [
      expectArrow,
      { sendHex: '{{header}}ffffffff' + 'f8ffff7f' + '0000000000000000' },
      { sendText: '{"type":"error","queryId":"{{queryId}}","error":"aborted","code":"result_too_large"}' },
    ],
    outcome: { ok: false },
  },
  {
    id: 'client.aborted-json',
    title: 'A text message that is not JSON carries no reply; the error that follows ends the query',
    spec: 'protocol.md#arrow-result-binary',
    level: 'MUST',
    action: { ...arrowQuery, type: 'json' },
    script: [
      expectJson,
      { sendText: '{"type":"json","queryId":"{{queryId}}","data":"[{\\"x\\":1\u0000' },
      { sendText: '{"type":"error","queryId":"{{queryId}}","error":"aborted","code":"result_too_large"}' },
    ],
    outcome: { ok: false },
  },
  {
    id: 'client.other-query-ignored',
    title: 'A reply for another queryId does not end the query',
    spec: 'protocol.md#ordering-guarantees',
    level: 'MUST',
    action: arrowQuery,
    script: [expectArrow, { sendText: '{"type":"ok","queryId":"someone-else"}' }, one],
    outcome: { ok: true, rows: [{ x: 1 }] },
  },
];
