import type { Static, TObject, TSchema } from '@sinclair/typebox';
import { TypeCompiler } from '@sinclair/typebox/compiler';
import { Value } from '@sinclair/typebox/value';
import { ErrorCode } from './error-codes.js';
import { type ParseResult, failure, success } from './parse-result.js';

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
      check: (value): value is Static<T> => Value.Check(schema, value),
      firstError: (value) => describe(Value.Errors(schema, value).First()),
    };
  }
}

function describe(error: { path: string; message: string } | undefined): string | undefined {
  if (!error) return undefined;
  return `${error.path === '' ? '(message)' : error.path}: ${error.message}`;
}

/**
 * Validates objects discriminated by their `type` field against the schema for that type, so that
 * errors name the field at fault rather than "no union member matched".
 */
export class TypeDispatcher<S extends TObject> {
  readonly #validators = new Map<string, Validator<S>>();
  readonly #direction: string;

  constructor(schemas: readonly S[], direction: string) {
    this.#direction = direction;
    for (const schema of schemas) {
      const literal = schema.properties.type as unknown as { const: string };
      this.#validators.set(literal.const, createValidator(schema));
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
    const queryId = typeof record.queryId === 'string' && record.queryId !== '' ? record.queryId : undefined;
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
}
