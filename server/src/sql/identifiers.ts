import { parseTableName } from '@duckwire/protocol';
import { InvalidTableNameError } from '../errors.js';

export { quoteIdentifier, quoteQualifiedName } from '@duckwire/protocol';

/**
 * Parse a table name into 1 to 3 identifier parts with the protocol's rules ({@link parseTableName}).
 *
 * @throws InvalidTableNameError when `name` is not 1 to 3 SQL identifiers.
 */
export function parseQualifiedName(name: string): string[] {
  const parsed = parseTableName(name);
  if (!parsed.ok) throw new InvalidTableNameError(parsed.error.message);
  return parsed.value;
}
