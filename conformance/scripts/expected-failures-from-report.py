# Drafts an expected-failures file from JSON reports of a reference server (scripts/reference-servers.sh):
# each failed scenario gets the reason of the first matching id prefix below. Review every reason by hand.
# Usage: python3 expected-failures-from-report.py "NAME VERSION" report.json [report.json…]
import json, sys
runs = [json.load(open(p)) for p in sys.argv[2:]]
reasons = [
  ('frame.', 'binary frames other than uploads are answered {"error":"invalid json"} without code; no invalid_frame faults (duckwire addition)'),
  ('transport.binary-not-reply-to-text', 'binary frames other than uploads are answered {"error":"invalid json"} without code'),
  ('message.cancel-without-id', 'answers cancel without queryId with cancelAck queryId:null, which breaks the CancelAck schema'),
  ('message.channel-too-long', 'accepts channels over 256 characters and echoes them in subscribed, breaking its schema'),
  ('message.invalid-queryid', 'does not validate queryId: echoes an empty, too long or numeric queryId in the result'),
  ('message.empty-sql', 'runs empty SQL and answers ok instead of refusing the message'),
  ('message.persist-not-boolean', 'does not validate persist'),
  ('message.precedence-invalid-over-duplicate', 'has no message validation or duplicate_query_id'),
  ('message.precedence-duplicate-over-sql', 'has no duplicate_query_id: runs the second query'),
  ('message.', 'errors carry no code (duckwire addition); invalid messages get {"error":"invalid message"}'),
  ('http.version', '/version has no "version" field'),
  ('http.', 'answers only /healthz, /readyz and /version: other paths and methods get no HTTP answer (connection dropped)'),
  ('query.no-result-set.', 'a json query whose statement returns no result set fails ("\'NoneType\' object has no attribute \'df\'") instead of data "[]"'),
  ('query.changed-rows.insert', 'a json INSERT fails ("\'NoneType\' object has no attribute \'df\'")'),
  ('query.no-statement', 'SQL without a statement fails with a Python error text and no code'),
  ('query.one-terminal-reply-each', 'errors carry no code'),
  ('query.duplicate-id', 'has no duplicate_query_id: runs the second query'),
  ('query.', 'errors carry no code (duckwire addition)'),
  ('cancel.other-connection', 'known fault of the reference: any connection can cancel any query'),
  ('cancel.', 'cancel is acknowledged but the query is not ended with an error cancelled (it runs to completion or ends without a terminal reply)'),
  ('pubsub.unsubscribe', 'has no unsubscribe (duckwire addition)'),
  ('pubsub.ordered-replies', 'has no unsubscribe (duckwire addition)'),
  ('pubsub.missing-channel', 'errors carry no code'),
  ('pubsub.payload.absent', 'forwards an absent payload as "payload": null'),
  ('pubsub.', 'sends notify to the other subscribers as a binary WebSocket message holding the JSON text (no frame header), which breaks the framing'),
  ('upload.bad-payload', 'errors carry no code; a bad payload is {"error":"invalid json"}'),
  ('upload.empty-payload', 'errors carry no code; a bad payload is {"error":"invalid json"}'),
  ('upload.', 'answers every binary message, uploadArrow included, with {"error":"invalid json"}: no uploads'),
  ('cache.invalidated-by-upload', 'uploads fail with {"error":"invalid json"}'),
  ('cache.invalidated-by-query-write', 'a json INSERT fails ("\'NoneType\' object has no attribute \'df\'")'),
  ('cache.persist-ddl', 'a json query without a result set fails'),
  ('cache.', 'known fault of the reference: the result cache is read without persist and never invalidated, so results are stale after writes'),
  ('limits.max-bytes-json-boundary', 'escapes non-ASCII characters in data (\\u00e9), so the text differs'),
  ('limits.', 'has no maxRows/maxBytes (duckwire addition)'),
  ('encoding.json.varchar', 'escapes non-ASCII characters in data as \\uXXXX (same value, different text)'),
  ('encoding.json.duplicate-column-names', 'names duplicate columns as pandas does (a_1_1)'),
  ('encoding.json.', 'JSON results come from pandas: numbers are rounded or written with other text (1.1 for DECIMAL 1.10, 0.0000001, 12.0), NULL list items become 0, BLOB is {}, several types fail'),
  ('encoding.arrow.variant', 'refuses VARIANT without the code unsupported_type'),
  ('encoding.arrow.union', 'the UNION column does not decode as the mapping says'),
  ('encoding.arrow.', 'Arrow export of DuckDB\'s Python client differs for this type'),
  ('auth.binary-before-auth', 'known fault of the reference: a binary message before auth is not refused as unauthorized (it is answered {"error":"invalid json"})'),
  ('auth.invalid-json-before-auth', 'invalid JSON before auth is answered {"error":"invalid json"}, not unauthorized and close 4401'),
  ('auth.token-missing', 'refuses with {"error":"unauthorized"} without code and without close code 4401'),
  ('auth.', 'known fault of the reference: auth is tracked per remote address, so a new socket from a host that authenticated before is authenticated, even with a wrong token'),
  ('http.readyz-needs-token', '/readyz and /version answer without the token'),
  ('http.websocket-auth-is-not-http-auth', '/readyz and /version answer without the token'),
  ('v1.', 'no duckwire.v1'),
]
out = {"// why": f"Differences of {sys.argv[1]} from the spec, measured with scripts/reference-servers.sh; each reason says why. Regenerate when the suite grows."}
for run in runs:
  for r in run['results']:
    if r['status'] != 'fail': continue
    for prefix, reason in reasons:
      if r['id'].startswith(prefix):
        out[r['id']] = reason; break
    else:
      out[r['id']] = 'differs: ' + (r.get('message') or '')[:160]
print(json.dumps(out, indent=2, ensure_ascii=False))
