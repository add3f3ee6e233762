/**
 * @packageDocumentation
 * Test material for implementations of the protocol (`@duckwire/protocol/fixtures`): example
 * messages of both directions, and an encoder of binary frames with ANY header, to build the
 * invalid frames a server must refuse. Not for production code: there, send through the checked
 * encoders of the main entry point.
 *
 * The baseline examples are copied verbatim from the protocol of the SQLRooms DuckDB server that
 * duckwire stays compatible with (see "Compatibility with the baseline" in `docs/protocol.md`);
 * the extended ones use what only duckwire adds. Every message type of both unions has at least
 * one example (the package's tests check it).
 */
import { frameHeadOf, joinFrame } from './frame.js';

/**
 * A binary frame `[u32 BE length][JSON of header][payload]` with no schema check, so that tests
 * can send headers that break it (a missing `tableName`, an unknown `type`, …).
 */
export const encodeRawFrame = (header: unknown, payload: Uint8Array | readonly Uint8Array[]): Uint8Array =>
  joinFrame(frameHeadOf(JSON.stringify(header)), payload);

/** Client → server text messages of the baseline, verbatim. */
export const baselineClientMessages: readonly string[] = [
  '{"type":"auth","token":"TOKEN"}',
  '{"type":"arrow","sql":"select 1 as x","queryId":"q1"}',
  '{"type":"json", "sql":"select 1 as x","queryId":"q2"}',
  '{"type":"exec", "sql":"create table t(x int)","queryId":"q3"}',
  '{"type":"cancel","queryId":"q2"}',
  '{"type":"subscribe","channel":"table:orders"}',
  '{"type":"notify","channel":"table:orders","payload":{"op":"update"}}',
];

/** Client → server text messages that only duckwire (or the baseline's optional fields) use. */
export const extendedClientMessages: readonly string[] = [
  '{"type":"arrow","sql":"select 1 as x"}',
  '{"type":"json","sql":"select 1 as x","queryId":"q4","persist":true}',
  '{"type":"arrow","sql":"select * from t","queryId":"q5","persist":false,"maxRows":1000,"maxBytes":1048576}',
  '{"type":"exec","sql":"create table t(x int); insert into t values (1)"}',
  '{"type":"unsubscribe","channel":"table:orders"}',
  '{"type":"notify","channel":"table:orders"}',
  '{"type":"notify","channel":"c","payload":[1,"two",null]}',
];

/** Client → server binary frame headers of the baseline, verbatim. */
export const baselineClientHeaders: readonly string[] = [
  '{"type":"uploadArrow","queryId":"u1","tableName":"my_table"}',
];

/** Server → client text messages of the baseline, verbatim. */
export const baselineServerMessages: readonly string[] = [
  '{"type":"authAck"}',
  '{"type":"ok","queryId":"q1"}',
  String.raw`{"type":"json","queryId":"q2","data":"[{\"x\":1}]"}`,
  '{"type":"ok","queryId":"q3"}',
  '{"type":"error","queryId":"q2","error":"<message>"}',
  '{"type":"cancelAck","queryId":"q2","cancelled":true}',
  '{"type":"cancelAck","queryId":"q2","cancelled":false}',
  '{"type":"subscribed","channel":"table:orders"}',
  '{"type":"notify","channel":"table:orders","payload":{"op":"update"}}',
  '{"type":"notifyAck","channel":"table:orders"}',
  '{"type":"uploadAck","queryId":"u1"}',
];

/** Server → client text messages that only duckwire sends. */
export const extendedServerMessages: readonly string[] = [
  '{"type":"error","error":"unauthorized: missing or wrong token","code":"unauthorized"}',
  '{"type":"error","queryId":"q9","error":"Query was cancelled","code":"cancelled"}',
  '{"type":"unsubscribed","channel":"table:orders"}',
];

/** Server → client binary frame headers of the baseline, verbatim. */
export const baselineServerHeaders: readonly string[] = ['{"type":"arrow","queryId":"q1"}'];

/** Client → server text messages of duckwire.v1 (valid only on a connection that negotiated `duckwire.v1`). */
export const v1ClientMessages: readonly string[] = [
  '{"type":"arrow","sql":"select ? as a, $2 as b","queryId":"p1","params":[1,{"$type":"bigint","value":"9007199254740993"}]}',
  '{"type":"json","sql":"select $d as d","queryId":"p2","params":{"d":{"$type":"date","value":"2024-01-31"}},"temporal":"iso"}',
  '{"type":"exec","sql":"insert into t values (?)","params":[[1,2,3]],"timeoutMs":5000}',
  '{"type":"arrow","sql":"select * from big","queryId":"s1","stream":true,"fetchRows":1000,"progress":true,"compression":"zstd"}',
  '{"type":"fetch","queryId":"s1","rows":5000}',
  '{"type":"beginSession","queryId":"b1"}',
  '{"type":"endSession","queryId":"b2"}',
  '{"type":"ping","id":"7"}',
  '{"type":"ping"}',
];

/** Client → server binary frame headers of duckwire.v1. */
export const v1ClientHeaders: readonly string[] = [
  '{"type":"uploadArrow","queryId":"u2","tableName":"t","chunked":true}',
  '{"type":"uploadChunk","queryId":"u2"}',
  '{"type":"uploadChunk","queryId":"u2","last":true}',
  '{"type":"uploadFile","queryId":"u3","tableName":"t","format":"csv"}',
];

/** Server → client text messages of duckwire.v1. */
export const v1ServerMessages: readonly string[] = [
  '{"type":"hello","protocol":"duckwire.v1","capabilities":["params","stream"],"auth":"none","limits":{"maxTextMessageBytes":1048576},"server":{"name":"@duckwire/server","version":"0.2.0","duckdb":"v1.5.6"}}',
  '{"type":"hello","protocol":"duckwire.v1","capabilities":[],"compression":["lz4"],"auth":"required","limits":{}}',
  '{"type":"authAck","server":{"name":"@duckwire/server","version":"0.2.0"}}',
  '{"type":"progress","queryId":"s1","percent":42.5,"rowsProcessed":10,"totalRows":20}',
  '{"type":"paused","queryId":"s1","rows":1000}',
  '{"type":"end","queryId":"s1","rows":5000,"bytes":123456,"batches":3,"elapsedMs":12.5}',
  '{"type":"pong","id":"7"}',
  '{"type":"error","queryId":"p1","error":"Catalog Error: nope","code":"query_failed","errorType":"Catalog"}',
  '{"type":"error","queryId":"p3","error":"too many queries in flight","code":"overloaded","retryAfterMs":100}',
];

/** Server → client binary frame headers of duckwire.v1. */
export const v1ServerHeaders: readonly string[] = [
  '{"type":"schema","queryId":"s1"}',
  '{"type":"batch","queryId":"s1","seq":0,"rows":2048}',
];
