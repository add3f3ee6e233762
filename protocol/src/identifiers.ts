/**
 * SQL table names as the protocol carries them (`uploadArrow`'s `tableName`: 1 to 3 identifiers) and as
 * clients put them into SQL: one parser and one quoting rule, shared by the server and the client.
 */
import { ErrorCode } from './error-codes.js';
import { type ParseResult, failure, success } from './parse-result.js';

class TableNameFault extends Error {}

/** The most parts a qualified name may have: `catalog.schema.table`. */
const MAX_PARTS = 3;

/** A plain (unquoted) identifier: a letter or `_`, then letters, digits, combining marks or `_`. */
const PLAIN_IDENTIFIER = /^[\p{L}_][\p{L}\p{M}\p{N}_]*$/u;

/** C0 controls (NUL, tab, newline…), DEL and C1 controls: never part of a name we accept. */
const CONTROL_CHARACTER = /\p{Cc}/u;

/** A UTF-16 surrogate that is not half of a pair: it has no UTF-8 encoding. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Parse a table name as the SQLRooms clients send it into 1 to 3 identifier parts
 * (`[table]`, `[schema, table]` or `[catalog, schema, table]`).
 *
 * Accepted forms: `t`, `s.t`, `"my table"`, `"db"."main"."t"`, `db."my schema".t`, and `"a""b"`
 * (a doubled quote inside quotes stands for one quote). Plain parts must be identifiers (a letter
 * or `_`, then letters, digits or `_`; Unicode letters count) and keep the case they are written
 * in — DuckDB compares identifiers case-insensitively anyway. Spaces around the whole name and
 * around the dots are ignored; any other whitespace is refused.
 *
 * @param name - the name as received.
 * @returns the unquoted parts, outermost first; or an `invalid_table_name` {@link ProtocolError} for an
 *   empty name or part, an unterminated quote, more than 3 parts, a leading or trailing dot, a character a
 *   plain identifier may not hold, or a control character. Never throws.
 */
export function parseTableName(name: string): ParseResult<string[]> {
  if (typeof name !== 'string') {
    return failure({ code: ErrorCode.InvalidTableName, message: 'invalid table name: not a string' });
  }
  try {
    return success(readTableName(name));
  } catch (fault) {
    if (!(fault instanceof TableNameFault)) throw fault;
    return failure({ code: ErrorCode.InvalidTableName, message: fault.message });
  }
}

function readTableName(name: string): string[] {
  function fail(reason: string): never {
    throw new TableNameFault(`invalid table name ${describe(name)}: ${reason}`);
  }
  if (CONTROL_CHARACTER.test(name)) fail('it contains a control character');
  if (LONE_SURROGATE.test(name)) fail('it contains an unpaired UTF-16 surrogate');
  if (name.trim() === '') fail('it is empty');

  const parts: string[] = [];
  let pos = skipSpaces(name, 0);
  for (;;) {
    if (parts.length === MAX_PARTS) fail(`more than ${MAX_PARTS} parts (at most catalog.schema.table)`);
    if (pos >= name.length) fail(parts.length === 0 ? 'it is empty' : 'it ends with "."');
    let part: string;
    if (name[pos] === '"') {
      [part, pos] = readQuoted(name, pos, fail);
    } else {
      [part, pos] = readPlain(name, pos, fail);
    }
    parts.push(part);
    pos = skipSpaces(name, pos);
    if (pos >= name.length) return parts;
    if (name[pos] !== '.') fail(`unexpected ${describe(name[pos]!)} at position ${pos + 1}`);
    pos = skipSpaces(name, pos + 1);
  }
}

/** Read a quoted identifier starting at the `"` at `start`; returns the part and the position after it. */
function readQuoted(name: string, start: number, fail: (reason: string) => never): [string, number] {
  let part = '';
  let pos = start + 1;
  for (;;) {
    const close = name.indexOf('"', pos);
    if (close < 0) fail(`unterminated quoted identifier starting at position ${start + 1}`);
    part += name.slice(pos, close);
    if (name[close + 1] === '"') {
      part += '"';
      pos = close + 2;
      continue;
    }
    if (part === '') fail(`empty quoted identifier at position ${start + 1}`);
    return [part, close + 1];
  }
}

/** Read a plain identifier starting at `start` (up to a space, dot or quote). */
function readPlain(name: string, start: number, fail: (reason: string) => never): [string, number] {
  let end = start;
  while (end < name.length && name[end] !== '.' && name[end] !== ' ' && name[end] !== '"') end++;
  const part = name.slice(start, end);
  if (part === '') fail(`empty identifier at position ${start + 1}`);
  if (!PLAIN_IDENTIFIER.test(part)) {
    fail(
      `${describe(part)} is not a plain identifier (letters, digits and _, not starting with a digit); ` +
        'put it in double quotes',
    );
  }
  return [part, end];
}

function skipSpaces(name: string, pos: number): number {
  while (name[pos] === ' ') pos++;
  return pos;
}

/** A short, printable rendering of user input for error messages. */
function describe(text: string): string {
  const shown = text.length > 80 ? `${text.slice(0, 77)}...` : text;
  return JSON.stringify(shown);
}

/**
 * Quote one identifier for SQL: `"` around it, inner `"` doubled. The result is always a single
 * identifier token, whatever the text holds.
 */
export function quoteIdentifier(part: string): string {
  return `"${part.replaceAll('"', '""')}"`;
}

/** Quote each part with {@link quoteIdentifier} and join them with dots. */
export function quoteQualifiedName(parts: readonly string[]): string {
  return parts.map(quoteIdentifier).join('.');
}
