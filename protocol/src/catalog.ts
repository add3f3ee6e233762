import type { TSchema } from '@sinclair/typebox';
import * as client from './messages/client.js';
import * as server from './messages/server.js';

/**
 * Every schema of the protocol by its `$id`: the messages of both directions, the binary frame headers and the
 * `ClientMessage` / `ServerMessage` unions. (Each direction has one binary header type today, so its header union
 * is that header's schema itself.)
 */
export const schemaCatalog: Readonly<Record<string, TSchema>> = Object.fromEntries(
  ([...Object.values(client), ...Object.values(server)] as unknown[])
    .filter((value): value is TSchema => typeof value === 'object' && value !== null && '$id' in value)
    .map((schema) => [schema.$id as string, schema]),
);

/** The JSON Schema document for one catalog entry, as written to `schemas/<id>.json`. */
export function toJsonSchema(id: string): Record<string, unknown> {
  const schema = schemaCatalog[id];
  if (!schema) throw new Error(`unknown schema ${id}`);
  // Unions embed their members by value; a round trip through JSON drops TypeBox's symbol keys.
  const plain = JSON.parse(JSON.stringify(schema)) as Record<string, unknown>;
  return { $schema: 'https://json-schema.org/draft/2020-12/schema', ...plain };
}
