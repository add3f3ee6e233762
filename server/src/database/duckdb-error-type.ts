/**
 * DuckDB's error type (`Catalog`, `Parser`, `Binder`, `Conversion`, …), for the `errorType` field of
 * a v1 `error` reply. `@duckdb/node-api` 1.5.6 exposes no error type on its exceptions, only the
 * message, which DuckDB always opens with "<Type> Error: " — except that a statement that does not parse
 * is reported by node-api's `extractStatements` as "Failed to extract statements: Parser Error: …".
 */

const PREFIX = /^(?:Failed to extract statements: )?([A-Za-z][A-Za-z ]{0,40}?) Error: /;

/** DuckDB's error type of `message`, or undefined when it does not start like a DuckDB error. */
export function duckdbErrorType(message: string): string | undefined {
  const type = PREFIX.exec(message)?.[1];
  if (type === undefined) return undefined;
  // DuckDB spells a few in capitals ("INTERRUPT Error"); the others are "Title Case".
  return /^[A-Z]+$/.test(type) && type.length > 1 ? type[0] + type.slice(1).toLowerCase() : type;
}
