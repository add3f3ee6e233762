/** The outcome of parsing a message or frame: the parsed value, or the {@link ProtocolError} to answer with. */
import type { ErrorCode } from './error-codes.js';

/** Why a message or frame was refused: a code, a clear message, and the `queryId` when one could be read. */
export interface ProtocolError {
  readonly code: ErrorCode;
  readonly message: string;
  readonly queryId?: string;
}

/** The outcome of parsing: the value, or a {@link ProtocolError}. Parsers never throw. */
export type ParseResult<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: ProtocolError };

/** Build a successful {@link ParseResult}. */
export const success = <T>(value: T): ParseResult<T> => ({ ok: true, value });

/** Build a failed {@link ParseResult}. */
export const failure = <T>(error: ProtocolError): ParseResult<T> => ({ ok: false, error });
