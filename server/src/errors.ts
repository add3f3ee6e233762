import { ErrorCode } from '@duckwire/protocol';

/** An error that carries a protocol {@link ErrorCode}: what the server sends back to the client. */
export class WireError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'WireError';
  }
}

/** The result exceeds the row or byte limit in force. */
export class ResultTooLargeError extends WireError {
  constructor(message: string) {
    super(ErrorCode.ResultTooLarge, message);
    this.name = 'ResultTooLargeError';
  }
}

/** The result has a column type the encoder cannot represent faithfully. */
export class UnsupportedTypeError extends WireError {
  constructor(message: string) {
    super(ErrorCode.UnsupportedType, message);
    this.name = 'UnsupportedTypeError';
  }
}

/** An uploadArrow table name that is not 1 to 3 SQL identifiers. */
export class InvalidTableNameError extends WireError {
  constructor(message: string) {
    super(ErrorCode.InvalidTableName, message);
    this.name = 'InvalidTableNameError';
  }
}

/** An uploadArrow payload that could not be read or loaded. */
export class UploadError extends WireError {
  constructor(message: string) {
    super(ErrorCode.UploadFailed, message);
    this.name = 'UploadError';
  }
}
