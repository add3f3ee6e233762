import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { schemaCatalog, toJsonSchema } from '../src/index.js';
import {
  baselineClientHeaders,
  baselineClientMessages,
  baselineServerHeaders,
  baselineServerMessages,
  extendedClientMessages,
  extendedServerMessages,
  v1ClientHeaders,
  v1ClientMessages,
  v1ServerHeaders,
  v1ServerMessages,
} from '../src/fixtures.js';

const schemasDir = fileURLToPath(new URL('../schemas', import.meta.url));
const REGENERATE = 'schemas/ are out of date: run `pnpm --filter @duckwire/protocol generate` and commit the result';

type JsonSchema = Record<string, unknown>;

const committed = (id: string): JsonSchema => JSON.parse(readFileSync(join(schemasDir, `${id}.json`), 'utf8'));

describe('committed JSON Schema files', () => {
  const ids = Object.keys(schemaCatalog).sort();

  it('exist for every catalog entry, and no others', () => {
    const files = readdirSync(schemasDir)
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .sort();
    expect(files, REGENERATE).toEqual(ids);
  });

  it.each(ids)('%s.json matches the TypeBox schema', (id) => {
    const text = readFileSync(join(schemasDir, `${id}.json`), 'utf8');
    expect(text, REGENERATE).toBe(`${JSON.stringify(toJsonSchema(id), null, 2)}\n`);
  });

  it('covers every message, binary header and union', () => {
    for (const id of [
      'ClientMessage',
      'ServerMessage',
      'UploadArrowHeader',
      'ArrowResultHeader',
      'UnsubscribeMessage',
    ]) {
      expect(ids).toContain(id);
    }
  });

  it('toJsonSchema refuses an unknown id', () => {
    expect(() => toJsonSchema('NoSuchSchema')).toThrow(/unknown schema/);
  });
});

/**
 * A small JSON Schema validator for the keywords the generated files use. It refuses any keyword it
 * does not know, so that a schema change cannot make these tests pass vacuously.
 */
const ANNOTATIONS = new Set(['$schema', '$id', 'description', 'title']);
const ASSERTIONS = new Set([
  'type',
  'const',
  'properties',
  'required',
  'anyOf',
  'minLength',
  'maxLength',
  'minimum',
  'maximum',
  'additionalProperties',
  'pattern',
  'items',
  'maxItems',
  'patternProperties',
]);

function jsonType(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function validate(schema: JsonSchema, value: unknown): boolean {
  for (const key of Object.keys(schema)) {
    if (!ANNOTATIONS.has(key) && !ASSERTIONS.has(key)) throw new Error(`unsupported JSON Schema keyword ${key}`);
  }
  if (schema.anyOf && !(schema.anyOf as JsonSchema[]).some((member) => validate(member, value))) return false;
  if (schema.const !== undefined && schema.const !== value) return false;
  if (typeof schema.type === 'string') {
    const actual = jsonType(value);
    if (actual !== schema.type && !(schema.type === 'number' && actual === 'integer')) return false;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof schema.minLength === 'number' && length < schema.minLength) return false;
    if (typeof schema.maxLength === 'number' && length > schema.maxLength) return false;
  }
  if (typeof value === 'number' && typeof schema.minimum === 'number' && value < schema.minimum) return false;
  if (typeof value === 'number' && typeof schema.maximum === 'number' && value > schema.maximum) return false;
  if (typeof value === 'string' && typeof schema.pattern === 'string' && !new RegExp(schema.pattern, 'u').test(value)) {
    return false;
  }
  if (Array.isArray(value)) {
    if (typeof schema.maxItems === 'number' && value.length > schema.maxItems) return false;
    if (schema.items && !value.every((item) => validate(schema.items as JsonSchema, item))) return false;
  }
  if (jsonType(value) === 'object') {
    const record = value as Record<string, unknown>;
    for (const name of (schema.required as string[] | undefined) ?? []) if (!(name in record)) return false;
    const properties = (schema.properties as Record<string, JsonSchema> | undefined) ?? {};
    for (const [name, sub] of Object.entries(properties)) {
      if (name in record && !validate(sub, record[name])) return false;
    }
    const patterns = Object.entries((schema.patternProperties as Record<string, JsonSchema> | undefined) ?? {});
    for (const [name, item] of Object.entries(record)) {
      for (const [pattern, sub] of patterns) {
        if (new RegExp(pattern, 'u').test(name) && !validate(sub, item)) return false;
      }
    }
    if (schema.additionalProperties === false) {
      const known = (name: string) => name in properties || patterns.some(([pattern]) => new RegExp(pattern, 'u').test(name));
      if (Object.keys(record).some((name) => !known(name))) return false;
    }
  }
  return true;
}

describe('the committed JSON Schemas validate the baseline examples', () => {
  const client = committed('ClientMessage');
  const server = committed('ServerMessage');
  const uploadHeader = committed('UploadArrowHeader');
  const resultHeader = committed('ArrowResultHeader');

  it.each([...baselineClientMessages, ...extendedClientMessages])('ClientMessage.json accepts %s', (text) => {
    expect(validate(client, JSON.parse(text))).toBe(true);
  });

  it.each([...baselineServerMessages, ...extendedServerMessages])('ServerMessage.json accepts %s', (text) => {
    expect(validate(server, JSON.parse(text))).toBe(true);
  });

  it.each(baselineClientHeaders)('UploadArrowHeader.json accepts %s', (text) => {
    expect(validate(uploadHeader, JSON.parse(text))).toBe(true);
  });

  it.each(baselineServerHeaders)('ArrowResultHeader.json accepts %s', (text) => {
    expect(validate(resultHeader, JSON.parse(text))).toBe(true);
  });

  it('each example matches the per-type schema of its type', () => {
    const byType: Record<string, string> = {
      auth: 'AuthMessage',
      arrow: 'ArrowQuery',
      json: 'JsonQuery',
      exec: 'ExecQuery',
      cancel: 'CancelMessage',
      subscribe: 'SubscribeMessage',
      unsubscribe: 'UnsubscribeMessage',
      notify: 'NotifyRequest',
    };
    for (const text of [...baselineClientMessages, ...extendedClientMessages]) {
      const message = JSON.parse(text);
      expect(validate(committed(byType[message.type]), message), text).toBe(true);
    }
  });

  it('refuses invalid messages', () => {
    const invalid = [
      { type: 'arrow', queryId: 'q1' },
      { type: 'arrow', sql: '' },
      { type: 'json', sql: 1 },
      { type: 'cancel' },
      { type: 'subscribe' },
      { type: 'arrow', sql: 'x', maxRows: 0 },
      { type: 'arrow', sql: 'x', maxRows: 1.5 },
      { type: 'nope' },
      [],
      null,
    ];
    for (const message of invalid) expect(validate(client, message), JSON.stringify(message)).toBe(false);
    expect(validate(server, { type: 'json', queryId: 'q', data: [] })).toBe(false);
    expect(validate(server, { type: 'cancelAck', queryId: 'q' })).toBe(false);
    expect(validate(uploadHeader, { type: 'uploadArrow', queryId: 'u1' })).toBe(false);
    expect(validate(resultHeader, { type: 'arrow' })).toBe(false);
  });
});

describe('the committed JSON Schemas validate the duckwire.v1 examples', () => {
  it.each(v1ClientMessages)('ClientMessage.json accepts %s', (text) => {
    expect(validate(committed('ClientMessage'), JSON.parse(text))).toBe(true);
  });
  it.each(v1ServerMessages)('ServerMessage.json accepts %s', (text) => {
    expect(validate(committed('ServerMessage'), JSON.parse(text))).toBe(true);
  });
  it.each(v1ClientHeaders)('ClientBinaryHeader.json accepts %s', (text) => {
    expect(validate(committed('ClientBinaryHeader'), JSON.parse(text))).toBe(true);
  });
  it.each(v1ServerHeaders)('ServerBinaryHeader.json accepts %s', (text) => {
    expect(validate(committed('ServerBinaryHeader'), JSON.parse(text))).toBe(true);
  });
  it('refuses ill-typed parameters', () => {
    const client = committed('ClientMessage');
    expect(validate(client, { type: 'arrow', sql: 'x', params: [{ $type: 'bigint', value: '1.5' }] })).toBe(false);
    expect(validate(client, { type: 'json', sql: 'x', params: { 'a-b': 1 } })).toBe(false);
    expect(validate(client, { type: 'fetch', queryId: 'q' })).toBe(false);
  });
});
