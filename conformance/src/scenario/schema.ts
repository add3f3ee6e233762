/**
 * Scenarios are data: this module is their schema. A scenario that does not validate is refused
 * before anything runs, so a typo in a scenario file is a loud error, not a silently passing check.
 */
import { type Static, type TSchema, Type } from '@sinclair/typebox';

/** A pattern a received value must match: a literal, an object/array of patterns, or a `$`-operator object (see docs/conformance.md). */
export const Pattern = Type.Unknown({ description: 'A value pattern; see docs/conformance.md#patterns.' });
export type Pattern = unknown;

/** Requirement levels of RFC 2119, as the spec uses them. */
export const Level = Type.Union([Type.Literal('MUST'), Type.Literal('SHOULD'), Type.Literal('MAY')]);
export type Level = Static<typeof Level>;

const Conn = Type.String({ minLength: 1, maxLength: 32, description: 'A connection name local to the scenario.' });

/** One column of an Arrow table built for an upload. */
export const ArrowColumnSpec = Type.Object({
  name: Type.String(),
  type: Type.Union(['Int32', 'Int64', 'Float64', 'Utf8', 'Bool'].map((t) => Type.Literal(t))),
  values: Type.Array(Type.Unknown()),
});

/** The payload of a binary frame the scenario sends. */
export const PayloadSpec = Type.Union([
  Type.Object({
    arrow: Type.Object({
      columns: Type.Array(ArrowColumnSpec),
      slice: Type.Optional(
        Type.Object(
          { from: Type.Integer({ minimum: 0 }), to: Type.Optional(Type.Integer({ minimum: 0 })) },
          { description: 'Only bytes [from, to) of the IPC stream: a part of a chunked upload.' },
        ),
      ),
    }),
  }),
  Type.Object({ hex: Type.String({ pattern: '^([0-9a-fA-F]{2})*$' }) }),
  Type.Object({ utf8: Type.String() }),
]);

/** A binary frame to send: a framed header + payload, or raw bytes. */
export const FrameSpec = Type.Union([
  Type.Object({
    header: Type.Optional(Type.Unknown({ description: 'JSON header value (serialized with JSON.stringify).' })),
    headerText: Type.Optional(Type.String({ description: 'Header text as is, instead of header.' })),
    headerHex: Type.Optional(Type.String({ description: 'Header bytes as hex, instead of header.' })),
    lengthOverride: Type.Optional(Type.Integer({ minimum: 0, maximum: 0xffffffff })),
    payload: Type.Optional(PayloadSpec),
  }),
  Type.Object({ raw: Type.String({ pattern: '^([0-9a-fA-F]{2})*$', description: 'The whole message, as hex.' }) }),
]);

/** What a decoded Arrow result must hold; values are compared in their canonical form (docs/conformance.md#arrow-values). */
export const ArrowExpectation = Type.Object({
  schema: Type.Optional(
    Type.Array(Type.Object({ name: Type.String(), type: Pattern, metadata: Type.Optional(Pattern) })),
  ),
  rows: Type.Optional(Type.Array(Pattern)),
  numRows: Type.Optional(Type.Integer({ minimum: 0 })),
});

const within = Type.Optional(
  Type.Integer({ minimum: 1, description: 'Milliseconds to wait; default: the run timeout.' }),
);

/** The steps of a scenario. */
export const Step: TSchema = Type.Recursive((Self) =>
  Type.Union([
    Type.Object({
      do: Type.Literal('open'),
      conn: Conn,
      auth: Type.Optional(
        Type.Union([Type.Literal('auto'), Type.Literal('none')], {
          description: 'auto (default): authenticate first when the run has a token.',
        }),
      ),
      protocols: Type.Optional(Type.Array(Type.String())),
      origin: Type.Optional(Type.String()),
      path: Type.Optional(Type.String()),
      expectRefused: Type.Optional(Type.Boolean({ description: 'The upgrade must fail.' })),
      keepHello: Type.Optional(Type.Boolean({ description: 'Leave the v1 hello for the steps to expect.' })),
    }),
    Type.Object({
      do: Type.Literal('sendText'),
      conn: Conn,
      text: Type.String(),
      padToLimit: Type.Optional(
        Type.String({
          description: 'A hello.limits key: spaces are appended until the text is one byte over that limit.',
        }),
      ),
    }),
    Type.Object({
      do: Type.Literal('send'),
      conn: Conn,
      message: Type.Unknown(),
      repeat: Type.Optional(
        Type.Union([Type.Integer({ minimum: 1, maximum: 1000 }), Type.String()], {
          description: 'Send it this many times (a number, or a hello.limits key); {{i}} in its strings is 0, 1, …',
        }),
      ),
    }),
    Type.Object({ do: Type.Literal('sendBinary'), conn: Conn, frame: FrameSpec }),
    Type.Object({
      do: Type.Literal('expect'),
      conn: Conn,
      text: Type.Optional(Pattern),
      rawText: Type.Optional(Pattern),
      binary: Type.Optional(
        Type.Object({
          header: Type.Optional(Pattern),
          arrow: Type.Optional(ArrowExpectation),
          undecodable: Type.Optional(Type.Boolean()),
          compressed: Type.Optional(
            Type.Boolean({ description: 'Its record batches must carry Arrow IPC body compression.' }),
          ),
        }),
      ),
      next: Type.Optional(Type.Boolean({ description: 'Must be the very next unread message of the connection.' })),
      optional: Type.Optional(
        Type.Boolean({ description: 'Take the message if it comes; no failure if it does not.' }),
      ),
      within,
      many: Type.Optional(
        Type.Boolean({
          description: 'Zero or more such messages as the very next ones: taken until a different message arrives.',
        }),
      ),
      note: Type.Optional(Type.String()),
    }),
    Type.Object({
      do: Type.Literal('expectClose'),
      conn: Conn,
      code: Type.Optional(Type.Union([Type.Integer(), Type.Array(Type.Integer())])),
      within,
    }),
    Type.Object({ do: Type.Literal('expectSilence'), conn: Conn, ms: Type.Integer({ minimum: 1 }) }),
    Type.Object({ do: Type.Literal('close'), conn: Conn }),
    Type.Object({
      do: Type.Literal('http'),
      method: Type.Optional(Type.String()),
      path: Type.String(),
      auth: Type.Optional(Type.Union([Type.Literal('token'), Type.Literal('none'), Type.Literal('wrong')])),
      status: Pattern,
      body: Type.Optional(Pattern),
      json: Type.Optional(Pattern),
    }),
    Type.Object({ do: Type.Literal('parallel'), branches: Type.Array(Type.Array(Self), { minItems: 2 }) }),
    Type.Object({ do: Type.Literal('sleep'), ms: Type.Integer({ minimum: 1, maximum: 5000 }) }),
  ]),
);
export type Step =
  | {
      do: 'open';
      conn: string;
      auth?: 'auto' | 'none';
      protocols?: string[];
      origin?: string;
      path?: string;
      expectRefused?: boolean;
      keepHello?: boolean;
    }
  | { do: 'sendText'; conn: string; text: string; padToLimit?: string }
  | { do: 'send'; conn: string; message: unknown; repeat?: number | string }
  | { do: 'sendBinary'; conn: string; frame: Static<typeof FrameSpec> }
  | {
      do: 'expect';
      conn: string;
      text?: Pattern;
      rawText?: Pattern;
      binary?: {
        header?: Pattern;
        arrow?: Static<typeof ArrowExpectation>;
        undecodable?: boolean;
        compressed?: boolean;
      };
      next?: boolean;
      many?: boolean;
      optional?: boolean;
      within?: number;
      note?: string;
    }
  | { do: 'expectClose'; conn: string; code?: number | number[]; within?: number }
  | { do: 'expectSilence'; conn: string; ms: number }
  | { do: 'close'; conn: string }
  | {
      do: 'http';
      method?: string;
      path: string;
      auth?: 'token' | 'none' | 'wrong';
      status: Pattern;
      body?: Pattern;
      json?: Pattern;
    }
  | { do: 'parallel'; branches: Step[][] }
  | { do: 'sleep'; ms: number };

/** A scenario: one check with an id, a spec link, a level and the capabilities it needs. */
export const Scenario = Type.Object({
  id: Type.String({
    pattern: '^[a-z0-9]+(?:[.-][a-z0-9]+)*$',
    description: 'Stable dotted id, e.g. cancel.unknown-id.',
  }),
  title: Type.String({ minLength: 1 }),
  spec: Type.String({
    pattern: '^[a-z0-9-]+\\.md(#[a-z0-9-]+)?$',
    description: 'The section checked, e.g. protocol.md#cancellation.',
  }),
  level: Level,
  requires: Type.Array(Type.String(), {
    description: 'Capabilities: "auth" or "no-auth" (how the run was started), "v1" and the v1 capabilities of hello.',
  }),
  serial: Type.Optional(Type.Boolean({ description: 'Run alone (it changes or observes server-wide state).' })),
  ignore: Type.Optional(Type.Array(Pattern, { description: 'Text messages to drop wherever they arrive.' })),
  steps: Type.Array(Step, { minItems: 1 }),
});
export type Scenario = Omit<Static<typeof Scenario>, 'steps'> & { steps: Step[] };
