/**
 * Plays the client side of one scenario against a server: opens its connections, sends its
 * frames, waits for the messages it expects, and fails on the first step that does not hold — or,
 * at the end, on any message that nobody expected (a duplicate or stray reply is a fault too).
 * Every received message is validated against the protocol schemas before it can match anything.
 */
import { randomBytes } from 'node:crypto';
import { alignedArrowPayload, parseServerFrame, validateServerMessage } from '@duckwire/protocol';
import { tableFromIPC } from 'apache-arrow';
import { withoutCodecs } from './codecs.js';
import { canonicalRows, canonicalSchema } from '../match/arrow-values.js';
import { type Captures, mismatch } from '../match/pattern.js';
import type { Scenario, Step } from '../scenario/schema.js';
import { Connection, type Received } from './connection.js';
import { frameBytes } from './frames.js';

/** Where and how a scenario runs. */
export interface RunContext {
  /** `ws://host:port/` of the server (or of a proxy in front of it). */
  readonly url: string;
  /** The server's token when it was started with auth. */
  readonly authToken?: string;
  /** Longest wait for one expected message, in ms. */
  readonly timeoutMs: number;
  /** How long to keep listening after the last step for messages nobody expected, in ms. */
  readonly settleMs: number;
}

/** A step did not hold. */
export class CheckFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckFailure';
  }
}

function describe(event: Received): string {
  if (event.kind === 'text')
    return event.text.length > 200 ? `text ${event.text.slice(0, 200)}…` : `text ${event.text}`;
  const frame = parseServerFrame(event.bytes);
  return frame.ok
    ? `binary ${JSON.stringify(frame.value.header)} + ${frame.value.payload.byteLength} payload bytes`
    : `binary (${event.bytes.byteLength} bytes, ${frame.error.message})`;
}

/** Scenario state: its connections, captures and the namespace that keeps its tables and channels apart. */
class ScenarioRun {
  readonly #context: RunContext;
  readonly #scenario: Scenario;
  readonly #connections = new Map<string, Connection>();
  readonly #consumed = new Set<Received>();
  readonly #captures: Captures = new Map();

  constructor(context: RunContext, scenario: Scenario) {
    this.#context = context;
    this.#scenario = scenario;
  }

  #conn(name: string): Connection {
    const connection = this.#connections.get(name);
    if (!connection) throw new CheckFailure(`connection "${name}" is not open (scenario bug)`);
    return connection;
  }

  #ignored(event: Received): boolean {
    if (event.kind !== 'text' || !this.#scenario.ignore) return false;
    let value: unknown;
    try {
      value = JSON.parse(event.text);
    } catch {
      return false;
    }
    return this.#scenario.ignore.some((pattern) => mismatch(pattern, value) === undefined);
  }

  /** Unread messages of a connection, after validating each against the protocol schemas. */
  #unread(connection: Connection): Received[] {
    const events = connection.inbox.filter((event) => !this.#consumed.has(event) && !this.#ignored(event));
    for (const event of events) this.#validate(event);
    return events;
  }

  #validate(event: Received): void {
    if (event.kind === 'text') {
      let value: unknown;
      try {
        value = JSON.parse(event.text);
      } catch {
        return; // Text that is not JSON is an aborted json result; only an expect of rawText may take it.
      }
      const valid = validateServerMessage(value);
      if (!valid.ok)
        throw new CheckFailure(
          `server message breaks its schema (${valid.error.message}): ${event.text.slice(0, 200)}`,
        );
      return;
    }
    const frame = parseServerFrame(event.bytes);
    if (!frame.ok) throw new CheckFailure(`server binary message breaks its framing or schema: ${frame.error.message}`);
  }

  async run(): Promise<void> {
    try {
      for (const [index, step] of this.#scenario.steps.entries()) await this.#step(step, index);
      await this.#settle();
    } finally {
      await Promise.all([...this.#connections.values()].map((connection) => connection.close()));
    }
  }

  async #settle(): Promise<void> {
    if (this.#connections.size === 0) return;
    await new Promise((resolve) => setTimeout(resolve, this.#context.settleMs));
    for (const [name, connection] of this.#connections) {
      const leftover = this.#unread(connection);
      if (leftover.length > 0)
        throw new CheckFailure(`unexpected message on ${name}: ${leftover.map(describe).join('; ')}`);
    }
  }

  async #step(step: Step, index: number): Promise<void> {
    try {
      await this.#execute(step);
    } catch (error) {
      if (error instanceof CheckFailure && !error.message.startsWith('step ')) {
        throw new CheckFailure(
          `step ${index + 1} (${step.do}${'conn' in step ? ` ${step.conn}` : ''}): ${error.message}`,
        );
      }
      throw error;
    }
  }

  async #execute(step: Step): Promise<void> {
    switch (step.do) {
      case 'open':
        return this.#open(step);
      case 'send': {
        const times = step.repeat === undefined ? 1 : typeof step.repeat === 'number' ? step.repeat : this.#limit(step.repeat);
        for (let i = 0; i < times; i++) await this.#send(step.conn, JSON.stringify(numbered(step.message, i)));
        return;
      }
      case 'sendText':
        return this.#send(step.conn, step.padToLimit ? padded(step.text, this.#limit(step.padToLimit)) : step.text);
      case 'sendBinary':
        return this.#send(step.conn, frameBytes(step.frame));
      case 'expect':
        return this.#expect(step);
      case 'expectClose':
        return this.#expectClose(step.conn, step.code, step.within);
      case 'expectSilence':
        return this.#expectSilence(step.conn, step.ms);
      case 'close':
        return this.#conn(step.conn).close();
      case 'http':
        return this.#http(step);
      case 'parallel':
        await Promise.all(
          step.branches.map(async (branch) => {
            for (const [index, inner] of branch.entries()) await this.#step(inner, index);
          }),
        );
        return;
      case 'sleep':
        await new Promise((resolve) => setTimeout(resolve, step.ms));
        return;
    }
  }

  async #send(name: string, data: string | Uint8Array): Promise<void> {
    try {
      await this.#conn(name).send(data);
    } catch (error) {
      throw new CheckFailure((error as Error).message);
    }
  }

  async #open(step: Extract<Step, { do: 'open' }>): Promise<void> {
    const url = new URL(step.path ?? '/', this.#context.url).toString();
    let connection: Connection;
    try {
      connection = await Connection.open(url, { protocols: step.protocols, origin: step.origin });
    } catch (error) {
      if (step.expectRefused) return;
      throw new CheckFailure(`could not connect: ${(error as Error).message}`);
    }
    if (step.expectRefused) {
      await connection.close();
      throw new CheckFailure('the upgrade was accepted, expected it to be refused');
    }
    this.#connections.set(step.conn, connection);
    if (connection.ws.protocol === 'duckwire.v1' && !step.keepHello) {
      await this.#expect({
        do: 'expect',
        conn: step.conn,
        text: { type: 'hello', limits: { $capture: HELLO_LIMITS } },
        next: true,
      });
    }
    if (this.#context.authToken !== undefined && step.auth !== 'none' && !step.keepHello) {
      await this.#send(step.conn, JSON.stringify({ type: 'auth', token: this.#context.authToken }));
      await this.#expect({ do: 'expect', conn: step.conn, text: { type: 'authAck' }, next: true });
    }
  }

  /** A positive limit of the server's hello (a v1 connection must be open first). */
  #limit(name: string): number {
    const limits = this.#captures.get(HELLO_LIMITS) as Record<string, unknown> | undefined;
    const value = limits?.[name];
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0)
      throw new CheckFailure(`hello.limits.${name} is ${JSON.stringify(value)}: the scenario needs a positive limit`);
    return value;
  }

  #matches(step: Extract<Step, { do: 'expect' }>, event: Received): string | undefined {
    const captures: Captures = new Map(this.#captures);
    let miss: string | undefined;
    if (step.text !== undefined || step.rawText !== undefined) {
      if (event.kind !== 'text') return 'a binary message';
      if (step.rawText !== undefined) miss = mismatch(step.rawText, event.text, captures);
      else {
        let value: unknown;
        try {
          value = JSON.parse(event.text);
        } catch {
          return 'text that is not JSON';
        }
        miss = mismatch(step.text, value, captures);
      }
    } else if (step.binary) {
      if (event.kind !== 'binary') return 'a text message';
      const frame = parseServerFrame(event.bytes);
      if (!frame.ok) return frame.error.message;
      miss = mismatch(step.binary.header ?? {}, frame.value.header, captures, '/header');
      if (!miss) miss = this.#arrowMismatch(step.binary, frame.value.payload, captures);
    } else {
      throw new CheckFailure('expect needs text, rawText or binary (scenario bug)');
    }
    if (!miss) for (const [key, value] of captures) this.#captures.set(key, value);
    return miss;
  }

  #arrowMismatch(
    binary: NonNullable<Extract<Step, { do: 'expect' }>['binary']>,
    payload: Uint8Array,
    captures: Captures,
  ): string | undefined {
    if (binary.compressed) {
      const plain = withoutCodecs(() => {
        try {
          tableFromIPC(alignedArrowPayload(payload));
          return true;
        } catch {
          return false;
        }
      });
      if (plain) return 'the Arrow payload decodes without codecs: its record batches are not compressed';
    }
    if (!binary.arrow && !binary.undecodable) return undefined;
    let table: ReturnType<typeof tableFromIPC>;
    try {
      table = tableFromIPC(alignedArrowPayload(payload));
    } catch (error) {
      return binary.undecodable ? undefined : `Arrow payload does not decode: ${(error as Error).message}`;
    }
    if (binary.undecodable) return `the Arrow payload decodes (${table.numRows} rows), expected an aborted stream`;
    const expected = binary.arrow!;
    if (expected.schema) {
      const miss = mismatch(expected.schema, canonicalSchema(table), captures, '/arrow/schema');
      if (miss) return miss;
    }
    if (expected.numRows !== undefined && table.numRows !== expected.numRows)
      return `/arrow: expected ${expected.numRows} rows, got ${table.numRows}`;
    if (expected.rows) return mismatch(expected.rows, canonicalRows(table), captures, '/arrow/rows', true);
    return undefined;
  }

  /** `many`: take the run of matching messages at the head of the unread ones, until another message arrives. */
  async #expectMany(step: Extract<Step, { do: 'expect' }>): Promise<void> {
    const connection = this.#conn(step.conn);
    const other = await connection.waitFor(() => {
      for (const event of this.#unread(connection)) {
        if (this.#matches(step, event) !== undefined) return event;
        this.#consumed.add(event);
      }
      return undefined;
    }, step.within ?? this.#context.timeoutMs);
    if (!other && !connection.closed) throw new CheckFailure('expected another message after the repeated ones; received nothing');
  }

  async #expect(step: Extract<Step, { do: 'expect' }>): Promise<void> {
    if (step.many) return this.#expectMany(step);
    const connection = this.#conn(step.conn);
    const misses: string[] = [];
    const pick = () => {
      misses.length = 0;
      const unread = this.#unread(connection);
      for (const event of step.next ? unread.slice(0, 1) : unread) {
        const miss = this.#matches(step, event);
        if (miss === undefined) return event;
        misses.push(`${describe(event)} → ${miss}`);
      }
      return undefined;
    };
    const found = await connection.waitFor(pick, step.within ?? this.#context.timeoutMs);
    if (found) {
      this.#consumed.add(found);
      return;
    }
    if (step.optional) return;
    const wanted = JSON.stringify(step.text ?? step.rawText ?? step.binary);
    const state = connection.closed ? ` (connection closed ${connection.closed.code})` : '';
    throw new CheckFailure(
      `expected ${step.next ? 'next ' : ''}${wanted.slice(0, 200)}${state}; ${
        misses.length ? `received instead: ${misses.slice(0, 4).join(' | ')}` : 'received nothing'
      }`,
    );
  }

  async #expectClose(name: string, code: number | number[] | undefined, within: number | undefined): Promise<void> {
    const connection = this.#conn(name);
    await connection.waitFor(() => connection.closed, within ?? this.#context.timeoutMs);
    if (!connection.closed) throw new CheckFailure('expected the connection to close; it stayed open');
    const codes = code === undefined ? undefined : Array.isArray(code) ? code : [code];
    if (codes && !codes.includes(connection.closed.code))
      throw new CheckFailure(`expected close code ${codes.join(' or ')}, got ${connection.closed.code}`);
  }

  async #expectSilence(name: string, ms: number): Promise<void> {
    const connection = this.#conn(name);
    const before = new Set(this.#unread(connection));
    await new Promise((resolve) => setTimeout(resolve, ms));
    const arrived = this.#unread(connection).filter((event) => !before.has(event));
    if (arrived.length > 0)
      throw new CheckFailure(`expected nothing for ${ms} ms, received ${arrived.map(describe).join('; ')}`);
  }

  async #http(step: Extract<Step, { do: 'http' }>): Promise<void> {
    const url = new URL(step.path, this.#context.url.replace(/^ws/, 'http'));
    const headers: Record<string, string> = {};
    if (step.auth === 'token' && this.#context.authToken !== undefined)
      headers.authorization = `Bearer ${this.#context.authToken}`;
    if (step.auth === 'wrong') headers.authorization = 'Bearer wrong-token-0123456789';
    let response: Response;
    try {
      response = await fetch(url, {
        method: step.method ?? 'GET',
        headers,
        signal: AbortSignal.timeout(this.#context.timeoutMs),
      });
    } catch (error) {
      throw new CheckFailure(`HTTP ${step.method ?? 'GET'} ${step.path} failed: ${(error as Error).message}`);
    }
    const body = await response.text();
    const missStatus = mismatch(step.status, response.status, this.#captures, '/status');
    if (missStatus) throw new CheckFailure(`${step.path}: ${missStatus} (body ${body.slice(0, 120)})`);
    if (step.body !== undefined) {
      const miss = mismatch(step.body, body, this.#captures, '/body');
      if (miss) throw new CheckFailure(`${step.path}: ${miss}`);
    }
    if (step.json !== undefined) {
      let value: unknown;
      try {
        value = JSON.parse(body);
      } catch {
        throw new CheckFailure(`${step.path}: body is not JSON: ${body.slice(0, 120)}`);
      }
      const miss = mismatch(step.json, value, this.#captures, '/json');
      if (miss) throw new CheckFailure(`${step.path}: ${miss}`);
    }
  }
}

/** Where the limits of the last hello are captured. */
const HELLO_LIMITS = 'hello.limits';

/** `{{i}}` in every string of a repeated message replaced by its index. */
function numbered(message: unknown, i: number): unknown {
  if (typeof message === 'string') return message.replaceAll('{{i}}', String(i));
  if (Array.isArray(message)) return message.map((item) => numbered(item, i));
  if (message && typeof message === 'object')
    return Object.fromEntries(Object.entries(message).map(([k, v]) => [k, numbered(v, i)]));
  return message;
}

/** `text` with spaces appended (JSON whitespace) until its UTF-8 length is one byte over `limit`. */
function padded(text: string, limit: number): string {
  const size = Buffer.byteLength(text, 'utf8');
  return size > limit ? text : text + ' '.repeat(limit + 1 - size);
}

/** Replace `{{ns}}` (a name unique to this run of the scenario) and `{{token}}` in every string of the steps. */
export function instantiate(scenario: Scenario, ns: string, token: string | undefined): Scenario {
  const replace = (value: unknown): unknown => {
    if (typeof value === 'string') return value.replaceAll('{{ns}}', ns).replaceAll('{{token}}', token ?? 'any-token');
    if (Array.isArray(value)) return value.map(replace);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replace(v)]));
    return value;
  };
  return {
    ...scenario,
    steps: replace(scenario.steps) as Step[],
    ignore: replace(scenario.ignore) as unknown[] | undefined,
  };
}

/** Run one scenario; throws {@link CheckFailure} when it does not hold. */
export async function runScenario(context: RunContext, scenario: Scenario): Promise<void> {
  const ns = `cf_${randomBytes(4).toString('hex')}`;
  await new ScenarioRun(context, instantiate(scenario, ns, context.authToken)).run();
}
