/**
 * The validators of both directions, derived from the `ClientMessage`, `ClientBinaryHeader`,
 * `ServerMessage` and `ServerBinaryHeader` unions: a message type added to a union is parsed,
 * validated and encodable with no list to update here.
 */
import type { TObject, TSchema } from '@sinclair/typebox';
import { ClientBinaryHeader, ClientMessage } from './messages/client.js';
import { ServerBinaryHeader, ServerMessage } from './messages/server.js';
import { TypeDispatcher } from './validator.js';

/** The member schemas of a union (TypeBox gives a one-member union as that member itself). */
const membersOf = (union: TSchema): TObject[] => ('anyOf' in union ? union.anyOf : [union]) as TObject[];

export const clientMessages = new TypeDispatcher(membersOf(ClientMessage), 'client message');
export const clientHeaders = new TypeDispatcher(membersOf(ClientBinaryHeader), 'client binary frame header');
export const serverMessages = new TypeDispatcher(membersOf(ServerMessage), 'server message');
export const serverHeaders = new TypeDispatcher(membersOf(ServerBinaryHeader), 'server binary frame header');
/** Headers of either direction, for the one frame encoder (their `type`s must differ: the constructor checks). */
export const binaryHeaders = new TypeDispatcher(
  [...membersOf(ClientBinaryHeader), ...membersOf(ServerBinaryHeader)],
  'binary frame header',
);
