/**
 * Small constructors that keep the scenario files short. They only build plain data: what they
 * return is validated against the scenario schema like any hand-written scenario.
 */
import type { Level, Pattern, Scenario, Step } from '../scenario/schema.js';

type Conn = string;

/** A scenario; `requires` defaults to none (baseline). */
export const scenario = (s: Omit<Scenario, 'requires'> & { requires?: string[] }): Scenario => ({ requires: [], ...s });

export const open = (conn: Conn = 'a', extra: Partial<Extract<Step, { do: 'open' }>> = {}): Step => ({
  do: 'open',
  conn,
  ...extra,
});
export const send = (message: unknown, conn: Conn = 'a'): Step => ({ do: 'send', conn, message });
export const sendText = (text: string, conn: Conn = 'a'): Step => ({ do: 'sendText', conn, text });
export const sendHex = (hex: string, conn: Conn = 'a'): Step => ({ do: 'sendBinary', conn, frame: { raw: hex } });
export const sendFrame = (frame: Extract<Step, { do: 'sendBinary' }>['frame'], conn: Conn = 'a'): Step => ({
  do: 'sendBinary',
  conn,
  frame,
});
export const expectText = (
  text: Pattern,
  conn: Conn = 'a',
  extra: Partial<Extract<Step, { do: 'expect' }>> = {},
): Step => ({
  do: 'expect',
  conn,
  text,
  ...extra,
});
export const expectNext = (text: Pattern, conn: Conn = 'a'): Step => expectText(text, conn, { next: true });
export const expectArrow = (
  queryId: string,
  arrow: NonNullable<Extract<Step, { do: 'expect' }>['binary']>['arrow'],
  conn: Conn = 'a',
): Step => ({ do: 'expect', conn, binary: { header: { type: 'arrow', queryId }, arrow } });
export const expectClose = (code?: number | number[], conn: Conn = 'a'): Step => ({
  do: 'expectClose',
  conn,
  ...(code === undefined ? {} : { code }),
});
export const silence = (ms: number, conn: Conn = 'a'): Step => ({ do: 'expectSilence', conn, ms });
export const close = (conn: Conn = 'a'): Step => ({ do: 'close', conn });
export const parallel = (...branches: Step[][]): Step => ({ do: 'parallel', branches });

/** An `error` reply pattern. */
export const error = (code: string, queryId?: string | Pattern, extra: Record<string, unknown> = {}) => ({
  type: 'error',
  error: { $type: 'string' },
  code,
  queryId: queryId === undefined ? { $absent: true } : queryId,
  ...extra,
});

/** The `data` of a json result holding exactly these rows (parsed and compared member by member, in order). */
export const rows = (value: unknown[]) => ({ $json: value });

/** A query message. */
export const q = (
  type: 'arrow' | 'json' | 'exec',
  queryId: string,
  sql: string,
  extra: Record<string, unknown> = {},
) => ({
  type,
  queryId,
  sql,
  ...extra,
});

/** Query `sql` as json on `conn` and expect exactly `expected` rows. */
export const jsonRows = (queryId: string, sql: string, expected: unknown[], conn: Conn = 'a'): Step[] => [
  send(q('json', queryId, sql), conn),
  expectText({ type: 'json', queryId, data: rows(expected) }, conn),
];

/** Query `sql` as json and expect `data` to be exactly this text. */
export const jsonText = (queryId: string, sql: string, data: string, conn: Conn = 'a'): Step[] => [
  send(q('json', queryId, sql), conn),
  expectText({ type: 'json', queryId, data }, conn),
];

/** A query that runs long enough (hundreds of ms) to be cancelled or overtaken, yet finishes on its own. */
export const SLOW_SQL = 'select count(*) as n from range(10000000) a(i) where (i * 7) % 13 = 3';
/**
 * A query that runs for seconds: only ever cancelled. Bounded, so that a server that fails to
 * cancel (or to stop queries of closed connections) is not left busy for the rest of the run.
 */
export const ENDLESS_SQL = 'select count(*) as n from range(200000000) a(i) where (i * 7) % 13 = 3';

/** Ready-made levels, for readability. */
export const MUST: Level = 'MUST';
export const SHOULD: Level = 'SHOULD';
export const MAY: Level = 'MAY';
