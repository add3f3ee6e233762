// One warning per refused request, without letting a hostile page flood the log: a page can open
// thousands of sockets a second, each refused the same way.
import type { IncomingMessage } from 'node:http';
import type { Logger } from '../logger.js';
import type { AccessPolicy, Refusal } from './access-policy.js';

/** How long repeats of one refusal (same reason, same value, same peer) are counted instead of logged. */
const QUIET_MS = 60_000;
/** Distinct refusals remembered at once; the oldest is forgotten first. */
const MAX_KEYS = 1000;
/** Longest header value written to the log (the rest is cut). */
const MAX_VALUE_CHARS = 200;

const shorten = (value: string | undefined) =>
  value !== undefined && value.length > MAX_VALUE_CHARS ? `${value.slice(0, MAX_VALUE_CHARS)}…` : value;

/**
 * Logs refused requests at `warn`: the first of a kind at once, repeats within a minute only as a
 * `repeated` count on the next line of that kind after the minute.
 */
export class RefusalLog {
  readonly #logger: Logger;
  readonly #recent = new Map<string, { until: number; repeated: number }>();

  constructor(logger: Logger) {
    this.#logger = logger;
  }

  /** Record one refusal; `fields` name what was refused (origin, host, remote address). */
  note(message: string, given: Record<string, string | undefined>): void {
    const fields = Object.fromEntries(Object.entries(given).map(([name, value]) => [name, shorten(value)]));
    const key = `${message}\0${JSON.stringify(fields)}`;
    const now = Date.now();
    const seen = this.#recent.get(key);
    if (seen && now < seen.until) {
      seen.repeated += 1;
      return;
    }
    this.#recent.delete(key);
    if (this.#recent.size >= MAX_KEYS) this.#recent.delete(this.#recent.keys().next().value as string);
    this.#recent.set(key, { until: now + QUIET_MS, repeated: 0 });
    this.#logger.warn({ ...fields, ...(seen?.repeated ? { repeated: seen.repeated } : {}) }, message);
  }

  /** Record a request that an {@link AccessPolicy} refused: `what` says which kind of request it was. */
  refused(what: 'WebSocket upgrade' | 'HTTP request', refusal: Refusal, request: IncomingMessage): void {
    this.note(`${what} refused: ${refusal.header} not allowed`, {
      [refusal.header]: refusal.value,
      remote: request.socket.remoteAddress,
    });
  }
}
