/**
 * Query parameters (duckwire.v1, capability `params`): the values a client binds to `?`, `$1` or
 * `$name` placeholders. Plain JSON values cover what JSON carries faithfully; a typed value
 * `{"$type": …, "value": …}` carries what it does not (64/128-bit integers, decimals, temporal
 * types, UUIDs, blobs). Lists nest one level: a list's items are scalars or typed scalars.
 */
import { type Static, type TLiteral, type TProperties, type TSchema, Type } from '@sinclair/typebox';

const integerText = Type.String({ pattern: '^-?[0-9]+$', description: 'A decimal integer, as text.' });

// biome-ignore lint/complexity/noBannedTypes: no extra properties by default
function typed<T extends string, V extends TSchema, E extends TProperties = {}>(type: T, value: V, extra: E = {} as E) {
  return Type.Object(
    { $type: Type.Literal(type) as TLiteral<T>, value, ...extra },
    { description: `A ${type.toUpperCase()} parameter value.` },
  );
}

/** A typed scalar parameter value: `{"$type": "bigint", "value": "9007199254740993"}` and its kin. */
export const TypedScalarParam = Type.Union(
  [
    typed('bigint', integerText),
    typed('hugeint', integerText),
    typed('ubigint', Type.String({ pattern: '^[0-9]+$' })),
    typed('uhugeint', Type.String({ pattern: '^[0-9]+$' })),
    typed('decimal', Type.String({ pattern: '^-?[0-9]+(\\.[0-9]+)?$' }), {
      precision: Type.Optional(Type.Integer({ minimum: 1, maximum: 38 })),
      scale: Type.Optional(Type.Integer({ minimum: 0, maximum: 38 })),
    }),
    typed('double', Type.Union([Type.Number(), Type.Literal('NaN'), Type.Literal('Infinity'), Type.Literal('-Infinity')])),
    typed('date', Type.String({ pattern: '^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}$' })),
    typed('time', Type.String({ pattern: '^[0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?$' })),
    typed('timestamp', Type.String({ pattern: '^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?$' })),
    typed(
      'timestamptz',
      Type.String({
        pattern: '^-?[0-9]{4,}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}:[0-9]{2}(\\.[0-9]{1,6})?(Z|[+-][0-9]{2}(:?[0-9]{2})?)$',
      }),
    ),
    typed(
      'interval',
      Type.Object({
        months: Type.Integer(),
        days: Type.Integer(),
        micros: Type.Union([Type.Integer(), integerText]),
      }),
    ),
    typed('uuid', Type.String({ pattern: '^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$' })),
    typed('blob', Type.String({ pattern: '^[A-Za-z0-9+/]*={0,2}$', description: 'Base64 (RFC 4648) bytes.' })),
    typed('varchar', Type.String()),
  ],
  { description: 'A typed scalar parameter value.' },
);
export type TypedScalarParam = Static<typeof TypedScalarParam>;

/** A scalar parameter value: JSON null, boolean, number, string, or a typed scalar. */
export const ScalarParam = Type.Union([Type.Null(), Type.Boolean(), Type.Number(), Type.String(), TypedScalarParam]);
export type ScalarParam = Static<typeof ScalarParam>;

/** One parameter value: a scalar, a plain array of scalars (a LIST), or `{"$type":"list","value":[…]}`. */
export const ParamValue = Type.Union([
  ScalarParam,
  Type.Array(ScalarParam, { description: 'A LIST of scalars.' }),
  Type.Object(
    { $type: Type.Literal('list'), value: Type.Array(ScalarParam) },
    { description: 'A LIST parameter value (explicit form).' },
  ),
]);
export type ParamValue = Static<typeof ParamValue>;

/** The `params` field: positional (an array, for `?` and `$1`…) or named (an object, for `$name`). */
export const Params = Type.Union(
  [
    Type.Array(ParamValue, { maxItems: 65535, description: 'Positional parameters, in placeholder order.' }),
    Type.Record(Type.String({ pattern: '^[A-Za-z_][A-Za-z0-9_]*$' }), ParamValue, {
      additionalProperties: false,
      description: 'Named parameters: key `name` binds `$name`.',
    }),
  ],
  { description: 'duckwire.v1 (capability "params"): values bound to the statement’s placeholders.' },
);
export type Params = Static<typeof Params>;
