/**
 * Admission of queries and uploads: a bound on how many one connection and the whole server may
 * have in flight. Work beyond a bound is refused at once with a retriable `overloaded` error, so
 * that no client can make the server queue (and hold memory for) an unbounded backlog.
 */
import { ErrorCode } from '@duckwire/protocol';
import { WireError } from '../errors.js';

/** How long a refused client is asked to wait before trying again (`retryAfterMs` on v1 connections). */
const RETRY_AFTER_MS = { connection: 100, server: 250 } as const;

/** A query or upload refused because too many are in flight; `retryAfterMs` is the hint for v1 clients. */
export class OverloadedError extends WireError {
  constructor(
    message: string,
    readonly retryAfterMs: number,
  ) {
    super(ErrorCode.Overloaded, message);
    this.name = 'OverloadedError';
  }
}

/** The server-wide count of queries and uploads in flight, checked with each connection's own count. */
export class Admission {
  #inFlight = 0;

  constructor(
    readonly maxPerConnection: number,
    readonly maxPerServer: number,
  ) {}

  /** Queries and uploads in flight on the whole server. */
  get inFlight(): number {
    return this.#inFlight;
  }

  /**
   * Admit one more query of a connection that has `connectionInFlight` already, or throw an
   * {@link OverloadedError}. Every admitted query must be given back with {@link leave}.
   */
  enter(connectionInFlight: number): void {
    if (connectionInFlight >= this.maxPerConnection) {
      throw new OverloadedError(
        `overloaded: this connection already has ${connectionInFlight} queries in flight (the limit maxInFlightPerConnection); retry later`,
        RETRY_AFTER_MS.connection,
      );
    }
    if (this.#inFlight >= this.maxPerServer) {
      throw new OverloadedError(
        `overloaded: the server already has ${this.#inFlight} queries in flight (the limit maxInFlightPerServer); retry later`,
        RETRY_AFTER_MS.server,
      );
    }
    this.#inFlight++;
  }

  /** An admitted query ended. */
  leave(): void {
    this.#inFlight--;
  }
}
