/**
 * The little SQL the client writes itself (loading server-side files, creating a schema): names go through
 * the protocol's table-name parser and identifier quoting, values through string-literal quoting, so nothing
 * a caller passes as a name, path or option value can end up as SQL syntax.
 */
import { parseTableName, quoteIdentifier, quoteQualifiedName } from '@duckwire/protocol';

/** Quote text as a SQL string literal: `'` around it, inner `'` doubled. */
export function quoteLiteral(text: string): string {
  if (text.includes('\0')) throw new TypeError('a SQL string may not contain a NUL character');
  return `'${text.replaceAll("'", "''")}'`;
}

/** A JavaScript value as a SQL literal: strings, finite numbers, bigints, booleans, null, lists and structs. */
export function sqlValue(value: unknown): string {
  if (value === null || value === undefined) return 'NULL';
  switch (typeof value) {
    case 'string':
      return quoteLiteral(value);
    case 'boolean':
      return value ? 'true' : 'false';
    case 'bigint':
      return value.toString();
    case 'number':
      if (!Number.isFinite(value)) throw new TypeError(`cannot write ${value} as a SQL literal`);
      return String(value);
    case 'object':
      if (Array.isArray(value)) return `[${value.map(sqlValue).join(', ')}]`;
      return `{${Object.entries(value)
        .map(([key, item]) => `${quoteLiteral(key)}: ${sqlValue(item)}`)
        .join(', ')}}`;
    default:
      throw new TypeError(`cannot write a ${typeof value} as a SQL literal`);
  }
}

/** A name usable as a named-parameter key of a DuckDB table function (`header=true`). */
const OPTION_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * Parse a table name (`t`, `s.t`, `"my table"`, `"db"."main"."t"`) and put it in `schema` when one is given.
 *
 * @returns the unquoted parts, outermost first.
 * @throws TypeError for a name that is not 1 to 3 identifiers, or a qualified name together with `schema`.
 */
export function targetTable(tableName: string, schema?: string): string[] {
  const parsed = parseTableName(tableName);
  if (!parsed.ok) throw new TypeError(parsed.error.message);
  if (schema === undefined || schema === '') return parsed.value;
  if (parsed.value.length > 1) {
    throw new TypeError(`table name ${JSON.stringify(tableName)} is already qualified; do not also pass a schema`);
  }
  return [schema, ...parsed.value];
}

/** `CREATE SCHEMA IF NOT EXISTS` for the schema of a target, or undefined when the target has none. */
export function createSchemaSql(target: readonly string[]): string | undefined {
  if (target.length < 2) return undefined;
  return `CREATE SCHEMA IF NOT EXISTS ${quoteQualifiedName(target.slice(0, -1))}`;
}

/** How a server-side file is read, and into what. Names follow SQLRooms' `LoadFileOptions`. */
export interface LoadFileOptions {
  /** DuckDB reader: `read_csv`, `read_json`, `read_ndjson`, `read_parquet`, `st_read`, or `auto` (by extension). */
  readonly method?: string;
  /** Schema to create the table in (created when missing). */
  readonly schema?: string;
  /** Column expressions to select (SQL), default `*`. */
  readonly select?: readonly string[];
  /** A filter (SQL). */
  readonly where?: string;
  /** Create a view instead of a table. */
  readonly view?: boolean;
  /** Create a temporary table or view. */
  readonly temp?: boolean;
  /** `CREATE OR REPLACE` (default: `CREATE … IF NOT EXISTS`, as SQLRooms does). */
  readonly replace?: boolean;
  /** Any other key is a named option of the reader (`header`, `delim`, …), written as a SQL literal. */
  readonly [option: string]: unknown;
}

/** The DuckDB reader for a file name's extension, for `auto` loads that carry reader options. */
export function readerFor(path: string): string {
  const extension = /\.([A-Za-z0-9]+)(?:\.gz|\.zst)?$/.exec(path)?.[1]?.toLowerCase();
  switch (extension) {
    case 'csv':
    case 'tsv':
    case 'txt':
      return 'read_csv';
    case 'parquet':
      return 'read_parquet';
    case 'json':
    case 'ndjson':
    case 'jsonl':
      return 'read_json';
    default:
      throw new TypeError(
        `cannot tell the file format of ${JSON.stringify(path)}; pass a method (read_csv, read_parquet, …)`,
      );
  }
}

/**
 * The SQL that loads the server-side file `path` into `tableName`: reader options become quoted literals, the
 * path is a quoted literal, the name is parsed and re-quoted. `select` and `where` are SQL by design.
 */
export function loadFileSql(path: string, tableName: string, options: LoadFileOptions = {}): string {
  const { method = 'auto', schema, select, where, view, temp, replace, ...readerOptions } = options;
  const target = targetTable(tableName, schema);
  const args = [quoteLiteral(path)];
  for (const [key, value] of Object.entries(readerOptions)) {
    if (value === undefined) continue;
    if (!OPTION_NAME.test(key)) throw new TypeError(`invalid reader option name ${JSON.stringify(key)}`);
    args.push(`${key}=${sqlValue(value)}`);
  }
  if (method !== 'auto' && !OPTION_NAME.test(method))
    throw new TypeError(`invalid load method ${JSON.stringify(method)}`);
  const reader =
    method === 'auto' && args.length === 1
      ? args[0]
      : `${method === 'auto' ? readerFor(path) : method}(${args.join(', ')})`;
  const columns = select && select.length > 0 ? select.join(', ') : '*';
  const query = `SELECT ${columns} FROM ${reader}${where ? ` WHERE ${where}` : ''}`;
  const create = `CREATE${replace ? ' OR REPLACE' : ''}${temp ? ' TEMP' : ''} ${view ? 'VIEW' : 'TABLE'}${replace ? '' : ' IF NOT EXISTS'}`;
  const statements = [createSchemaSql(target), `${create} ${quoteQualifiedName(target)} AS ${query}`];
  return statements.filter((sql) => sql !== undefined).join('; ');
}

export { quoteIdentifier };
