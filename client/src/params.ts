/**
 * Query parameters as an app writes them, turned into the protocol's `params` (duckwire.v1 capability
 * `params`). JavaScript values that JSON cannot carry faithfully — `bigint`, `Date`, `Uint8Array`, NaN and
 * ±Infinity — become the protocol's typed values, so they bind with their exact value and type.
 */
import type { ParamValue, Params, ScalarParam } from '@duckwire/protocol';

/** One scalar parameter: a protocol value (incl. `{"$type": …, "value": …}`), or a `bigint`, `Date` or bytes. */
export type QueryParamScalar = ScalarParam | bigint | Date | Uint8Array;

/** One parameter: a scalar, or an array of scalars (a LIST). */
export type QueryParam = QueryParamScalar | ParamValue | readonly QueryParamScalar[];

/**
 * The `params` of a request: an array binds `?` / `$1`… in order, an object binds `$name` by key.
 * - `bigint` → BIGINT (HUGEINT beyond 64 bits)
 * - `Date` → TIMESTAMPTZ (millisecond precision)
 * - `Uint8Array` → BLOB
 * - `NaN`, `Infinity`, `-Infinity` → DOUBLE
 * - any other number, string, boolean, null, and typed values as in docs/protocol.md ("Parameters").
 */
export type QueryParams = readonly QueryParam[] | { readonly [name: string]: QueryParam };

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

function scalar(value: QueryParamScalar | ParamValue): ParamValue {
  if (typeof value === 'bigint') {
    const $type = value >= INT64_MIN && value <= INT64_MAX ? 'bigint' : 'hugeint';
    return { $type, value: value.toString() };
  }
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { $type: 'double', value: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
  }
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new TypeError('a query parameter is an invalid Date');
    return { $type: 'timestamptz', value: value.toISOString() };
  }
  if (value instanceof Uint8Array) return { $type: 'blob', value: base64(value) };
  return value;
}

function param(value: QueryParam): ParamValue {
  if (Array.isArray(value)) return value.map((item: QueryParamScalar) => scalar(item) as ScalarParam);
  return scalar(value as QueryParamScalar);
}

/** Turn the app's parameters into the protocol's `params` (the server validates them against the schema). */
export function toWireParams(params: QueryParams): Params {
  if (Array.isArray(params)) return params.map(param);
  const named: Record<string, ParamValue> = {};
  for (const [name, value] of Object.entries(params as Record<string, QueryParam>)) named[name] = param(value);
  return named;
}
