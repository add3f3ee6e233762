/**
 * Binds a v1 query's `params` to a prepared statement's placeholders: an array to `?`/`$1`… in
 * order, an object to `$name`s. Every mismatch — a count, a missing or unknown name, a value that
 * does not fit its type — is an `invalid_params` error naming the parameter, raised before the
 * statement runs. No value is ever pasted into SQL text.
 */
import type { DuckDBPreparedStatement } from '@duckdb/node-api';
import { ErrorCode, type ParamValue, type Params } from '@duckwire/protocol';
import { WireError } from '../errors.js';
import { toBoundValue } from './param-values.js';

/** `params` that do not fit the statement; the message names the parameter. */
export class InvalidParamsError extends WireError {
  constructor(message: string) {
    super(ErrorCode.InvalidParams, message);
    this.name = 'InvalidParamsError';
  }
}

const POSITIONAL = /^\d+$/;

/** The names DuckDB gives the placeholders, in index order (`"1"`, `"2"`… for `?` and `$1`). */
function placeholderNames(prepared: DuckDBPreparedStatement): string[] {
  const names: string[] = [];
  for (let index = 1; index <= prepared.parameterCount; index++) names.push(prepared.parameterName(index));
  return names;
}

function bindOne(prepared: DuckDBPreparedStatement, index: number, param: ParamValue, label: string): void {
  try {
    const { value, type } = toBoundValue(param);
    if (value === null) prepared.bindNull(index);
    else prepared.bindValue(index, value, type);
  } catch (error) {
    throw new InvalidParamsError(`${label}: ${(error as Error).message}`);
  }
}

/**
 * Bind `params` to `prepared` (clearing earlier bindings first: cached statements are reused).
 * Throws {@link InvalidParamsError}.
 */
export function bindParams(prepared: DuckDBPreparedStatement, params: Params): void {
  prepared.clearBindings();
  const names = placeholderNames(prepared);
  if (Array.isArray(params)) {
    const named = names.find((name) => !POSITIONAL.test(name));
    if (named !== undefined) {
      throw new InvalidParamsError(`the statement has named parameter $${named}: send params as an object`);
    }
    if (params.length !== names.length) {
      throw new InvalidParamsError(`expected ${names.length} parameter${names.length === 1 ? '' : 's'}, got ${params.length}`);
    }
    for (const [i, param] of params.entries()) bindOne(prepared, i + 1, param, `parameter ${i + 1} ($${i + 1})`);
    return;
  }
  const positional = names.find((name) => POSITIONAL.test(name));
  if (positional !== undefined) {
    throw new InvalidParamsError(`the statement has positional parameter $${positional}: send params as an array`);
  }
  const known = new Set(names);
  const unknown = Object.keys(params).find((key) => !known.has(key));
  if (unknown !== undefined) throw new InvalidParamsError(`unknown parameter $${unknown}`);
  names.forEach((name, i) => {
    if (!Object.hasOwn(params, name)) throw new InvalidParamsError(`missing named parameter $${name}`);
    bindOne(prepared, i + 1, params[name], `parameter $${name}`);
  });
}

/** Statements of a multi-statement query before the last one may not have placeholders. */
export function refuseEarlierPlaceholders(prepared: DuckDBPreparedStatement, statement: number): void {
  if (prepared.parameterCount > 0) {
    throw new InvalidParamsError(
      `only the last statement may have parameters; statement ${statement} has ${prepared.parameterCount}`,
    );
  }
}
