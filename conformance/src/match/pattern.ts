/**
 * Pattern matching of received values against scenario patterns. Objects match as subsets (the
 * spec says receivers ignore unknown fields) unless under `$exact` / `$json`; `$`-operators cover
 * what literal values cannot say. Returns the first mismatch as a readable path, or undefined.
 */

/** Values captured by `$capture` and compared by `$ref`, per scenario. */
export type Captures = Map<string, unknown>;

const isPlainObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !ArrayBuffer.isView(value);

const show = (value: unknown): string => {
  const text = JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? `${v}n` : v)) ?? String(value);
  return text.length > 160 ? `${text.slice(0, 160)}…` : text;
};

const typeOf = (value: unknown): string => (value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value);

function operatorOf(pattern: Record<string, unknown>): string | undefined {
  const keys = Object.keys(pattern);
  return keys.length >= 1 && keys[0].startsWith('$') ? keys[0] : undefined;
}

/**
 * Match `actual` against `pattern`. `strict` makes objects need exactly the pattern's keys.
 * @returns undefined when it matches, else `"path: why"`.
 */
export function mismatch(
  pattern: unknown,
  actual: unknown,
  captures: Captures = new Map(),
  path = '',
  strict = false,
): string | undefined {
  const where = path === '' ? '(value)' : path;
  if (isPlainObject(pattern)) {
    const op = operatorOf(pattern);
    if (op) return operator(op, pattern, actual, captures, path, strict);
    if (!isPlainObject(actual)) return `${where}: expected an object, got ${show(actual)}`;
    for (const [key, sub] of Object.entries(pattern)) {
      if (!(key in actual)) {
        if (mismatch(sub, undefined, captures, `${path}/${key}`, strict) === undefined) continue;
        return `${path}/${key}: missing (expected ${show(sub)})`;
      }
      const inner = mismatch(sub, actual[key], captures, `${path}/${key}`, strict);
      if (inner) return inner;
    }
    if (strict) {
      for (const key of Object.keys(actual)) {
        if (!(key in pattern)) return `${path}/${key}: unexpected field (value ${show(actual[key])})`;
      }
      const expectedOrder = Object.keys(pattern).filter((k) => k in actual);
      const actualOrder = Object.keys(actual);
      if (expectedOrder.join('\u0000') !== actualOrder.join('\u0000'))
        return `${where}: members in order ${show(actualOrder)}, expected ${show(expectedOrder)}`;
    }
    return undefined;
  }
  if (Array.isArray(pattern)) {
    if (!Array.isArray(actual)) return `${where}: expected an array, got ${show(actual)}`;
    if (actual.length !== pattern.length)
      return `${where}: expected ${pattern.length} items, got ${actual.length}: ${show(actual)}`;
    for (let i = 0; i < pattern.length; i++) {
      const inner = mismatch(pattern[i], actual[i], captures, `${path}/${i}`, strict);
      if (inner) return inner;
    }
    return undefined;
  }
  if (Object.is(pattern, actual)) return undefined;
  return `${where}: expected ${show(pattern)}, got ${show(actual)}`;
}

function operator(
  op: string,
  pattern: Record<string, unknown>,
  actual: unknown,
  captures: Captures,
  path: string,
  strict: boolean,
): string | undefined {
  const where = path === '' ? '(value)' : path;
  const arg = pattern[op];
  const fail = (why: string) => `${where}: ${why}, got ${show(actual)}`;
  switch (op) {
    case '$any':
      return actual === undefined ? `${where}: missing` : undefined;
    case '$absent':
      return actual === undefined ? undefined : fail('expected nothing');
    case '$type':
      return typeOf(actual) === arg ? undefined : fail(`expected a ${arg}`);
    case '$contains':
      return typeof actual === 'string' && actual.includes(String(arg))
        ? undefined
        : fail(`expected a string containing ${show(arg)}`);
    case '$icontains':
      return typeof actual === 'string' && actual.toLowerCase().includes(String(arg).toLowerCase())
        ? undefined
        : fail(`expected a string containing ${show(arg)} (any case)`);
    case '$startsWith':
      return typeof actual === 'string' && actual.startsWith(String(arg))
        ? undefined
        : fail(`expected a string starting with ${show(arg)}`);
    case '$regex':
      return typeof actual === 'string' && new RegExp(String(arg), 'u').test(actual)
        ? undefined
        : fail(`expected a string matching /${arg}/`);
    case '$oneOf': {
      const options = arg as unknown[];
      const misses = options.map((option) => mismatch(option, actual, captures, path, strict));
      return misses.some((miss) => miss === undefined) ? undefined : fail(`expected one of ${show(options)}`);
    }
    case '$not':
      return mismatch(arg, actual, captures, path, strict) === undefined
        ? fail(`expected anything but ${show(arg)}`)
        : undefined;
    case '$exact':
      return mismatch(arg, actual, captures, path, true);
    case '$json': {
      if (typeof actual !== 'string') return fail('expected JSON text');
      let parsed: unknown;
      try {
        parsed = JSON.parse(actual);
      } catch {
        return fail('expected valid JSON text');
      }
      return mismatch(arg, parsed, captures, `${path}<json>`, true);
    }
    case '$notJson': {
      if (typeof actual !== 'string') return fail('expected text');
      try {
        JSON.parse(actual);
      } catch {
        return undefined;
      }
      return fail('expected text that is not valid JSON');
    }
    case '$capture':
      if (actual === undefined) return `${where}: missing (to capture as ${arg})`;
      captures.set(String(arg), actual);
      return undefined;
    case '$ref':
      if (!captures.has(String(arg))) return `${where}: nothing captured as ${arg}`;
      return Object.is(captures.get(String(arg)), actual)
        ? undefined
        : fail(`expected the value captured as ${arg} (${show(captures.get(String(arg)))})`);
    case '$gte':
      return typeof actual === 'number' && actual >= Number(arg) ? undefined : fail(`expected a number ≥ ${arg}`);
    case '$allOf': {
      for (const sub of arg as unknown[]) {
        const miss = mismatch(sub, actual, captures, path, strict);
        if (miss) return miss;
      }
      return undefined;
    }
    default:
      return `${where}: unknown pattern operator ${op}`;
  }
}
