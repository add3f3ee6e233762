/**
 * Messages copied verbatim from /work/shared/protocol-baseline.md (the wire contract duckwire stays
 * compatible with), plus the duckwire additions. Every valid-message test draws from these lists.
 */

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
