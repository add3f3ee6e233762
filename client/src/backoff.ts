/** Reconnect delays: exponential backoff with "equal jitter", so clients that lost one server do not return in step. */

/** How the client retries after its connection drops. */
export interface ReconnectOptions {
  /** Delay before the first attempt, in ms (before jitter). Default 250. */
  readonly initialDelayMs?: number;
  /** Upper bound of a delay, in ms. Default 10 000. */
  readonly maxDelayMs?: number;
  /** Attempts before giving up (status stays `disconnected`; the next request tries once more). Default: unlimited. */
  readonly maxAttempts?: number;
}

/**
 * The delay before reconnect attempt `attempt` (0-based): `min(max, initial * 2^attempt)`, of which a random
 * half is kept, i.e. a value in `[d/2, d]`.
 */
export function backoffDelay(attempt: number, options: ReconnectOptions, random: () => number = Math.random): number {
  const initial = options.initialDelayMs ?? 250;
  const max = options.maxDelayMs ?? 10_000;
  const ceiling = Math.min(max, initial * 2 ** Math.min(attempt, 30));
  return ceiling / 2 + random() * (ceiling / 2);
}
