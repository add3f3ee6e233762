/**
 * Reading the `data` text of a `json` result. The server writes every integer with all its digits; a plain
 * `JSON.parse` would round those beyond ±2^53 through a double. Where the engine gives revivers the number's
 * source text (Chrome 114+, Firefox 135+, Safari 18.4+, Node 21+), such integers become `bigint`s.
 */

interface ReviverContext {
  readonly source?: string;
}

const INTEGER = /^-?\d+$/;

function exactIntegers(_key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === 'number' && !Number.isSafeInteger(value) && context?.source && INTEGER.test(context.source)) {
    return BigInt(context.source);
  }
  return value;
}

/** Whether this engine passes the source text to `JSON.parse` revivers. */
export const jsonSourceTextAvailable: boolean = (() => {
  let seen = false;
  JSON.parse('1', (_key, value, context?: ReviverContext) => {
    if (context?.source === '1') seen = true;
    return value;
  });
  return seen;
})();

/**
 * Parse the rows of a `json` result. Integers outside ±(2^53 − 1) become `bigint` where the engine supports
 * source text access (see {@link jsonSourceTextAvailable}); every other value is what `JSON.parse` gives.
 */
export function parseJsonRows<T = Record<string, unknown>>(data: string): T[] {
  const rows: unknown = jsonSourceTextAvailable
    ? JSON.parse(data, exactIntegers as (key: string, value: unknown) => unknown)
    : JSON.parse(data);
  if (!Array.isArray(rows)) throw new TypeError('the data of a json result is not an array');
  return rows as T[];
}
