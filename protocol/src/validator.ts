import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Errors } from '@sinclair/typebox/errors';
import { Check } from '@sinclair/typebox/value';
import { ErrorCode } from './error-codes.js';
import { QueryId } from './fields.js';
import { type ParseResult, type ProtocolError, failure, success } from './parse-result.js';

/** A checker for one schema: compiled where the platform allows code generation, interpreted otherwise (e.g. under a strict CSP). */
export interface Validator<T extends TSchema> {
  check(value: unknown): value is Static<T>;
  /** The first problem with `value`, as `"/path: message"`, or undefined when it is valid. */
  firstError(value: unknown): string | undefined;
}

/** Create a {@link Validator} for a schema. */
export function createValidator<T extends TSchema>(schema: T): Validator<T> {
  try {
    const compiled = TypeCompiler.Compile(schema);
    return {
      check: (value): value is Static<T> => compiled.Check(value),
      firstError: (value) => describe(compiled.Errors(value).First()),
    };
  } catch {
    return {
      check: (value): value is Static<T> => Check(schema, value),
      firstError: (value) => describe(Errors(schema, value).First()),
    };
  }
}

function describe(error: { path: string; message: string } | undefined): string | undefined {
  if (!error) return undefined;
  return `${error.path === '' ? '(message)' : error.path}: ${error.message}`;
}

/** An outgoing message that does not match its schema: a bug of the sender, never written to the wire. */
export class InvalidOutgoingMessageError extends Error {
  constructor(readonly error: ProtocolError) {
    super(`refusing to send it: ${error.message}`);
    this.name = 'InvalidOutgoingMessageError';
  }
}

const queryIdValidator = createValidator(QueryId);

/**
 * Validates objects discriminated by their `type` field against the schema for that type, so that
 * errors name the field at fault rather than "no union member matched"; and serializes them, fields
 * in schema order, after the same check.
 */
export class TypeDispatcher<S extends TObject> {
  readonly #validators = new Map<string, Validator<S>>();
  readonly #fields = new Map<string, readonly string[]>();
  readonly #direction: string;

  constructor(schemas: readonly S[], direction: string) {
    this.#direction = direction;
    for (const schema of schemas) {
      const type = (schema.properties.type as unknown as { const: string }).const;
      if (this.#validators.has(type)) throw new Error(`${direction}: two schemas for type "${type}"`);
      this.#validators.set(type, createValidator(schema));
      this.#fields.set(type, Object.keys(schema.properties));
    }
  }

  /** The message types this dispatcher knows. */
  get types(): string[] {
    return [...this.#validators.keys()];
  }

  /** Validate an already-parsed object. Never throws. */
  validate(value: unknown): ParseResult<Static<S>> {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) {
      return failure({ code: ErrorCode.InvalidMessage, message: `${this.#direction}: message must be a JSON object` });
    }
    const record = value as Record<string, unknown>;
    // Only a queryId that is itself valid is reported (and so echoed in the error reply).
    const queryId = queryIdValidator.check(record.queryId) ? record.queryId : undefined;
    const type = record.type;
    if (typeof type !== 'string') {
      return failure({
        code: ErrorCode.InvalidMessage,
        message: `${this.#direction}: field "type" must be a string`,
        ...(queryId ? { queryId } : {}),
      });
    }
    const validator = this.#validators.get(type);
    if (!validator) {
      return failure({
        code: ErrorCode.UnknownType,
        message: `${this.#direction}: unknown message type "${type.slice(0, 64)}" (expected one of ${this.types.join(', ')})`,
        ...(queryId ? { queryId } : {}),
      });
    }
    if (!validator.check(value)) {
      return failure({
        code: ErrorCode.InvalidMessage,
        message: `invalid "${type}" message: ${validator.firstError(value)}`,
        ...(queryId ? { queryId } : {}),
      });
    }
    return success(value);
  }

  /** Parse JSON text, then {@link validate}. Never throws. */
  parse(text: string): ParseResult<Static<S>> {
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      return failure({ code: ErrorCode.InvalidJson, message: `invalid JSON: ${(error as Error).message}` });
    }
    return this.validate(value);
  }

  /**
   * Serialize a message as JSON text, its fields in the order of its schema (so the bytes do not
   * depend on how the caller built the object; undefined fields are left out). Throws an
   * {@link InvalidOutgoingMessageError} when the message does not match its schema: what this
   * returns always validates.
   */
  serialize(message: Static<S>): string {
    const checked = this.validate(message);
    if (!checked.ok) throw new InvalidOutgoingMessageError(checked.error);
    const record = message as Record<string, unknown>;
    const ordered: Record<string, unknown> = {};
    for (const field of this.#fields.get(record.type as string) ?? []) {
      if (record[field] !== undefined) ordered[field] = record[field];
    }
    return JSON.stringify(ordered);
  }
}
