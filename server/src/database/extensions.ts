import type { DuckDBConnection } from '@duckdb/node-api';
import type { Logger } from '../logger.js';

/** One `--extensions` entry: `name` or `name@repository`. */
export interface ExtensionSpec {
  readonly name: string;
  readonly repository?: string;
}

const NAME = /^[A-Za-z0-9_]+$/;
const URL_LIKE = /^(https?|s3):\/\/[^'\s]+$/;

/** Parse `httpfs,spatial,h3@community` into specs. Throws on a malformed entry (caught as a CLI usage error). */
export function parseExtensionList(list: readonly string[]): ExtensionSpec[] {
  return list
    .flatMap((entry) => entry.split(','))
    .map((entry) => entry.trim())
    .filter((entry) => entry !== '')
    .map((entry) => {
      const at = entry.indexOf('@');
      const name = at < 0 ? entry : entry.slice(0, at);
      const repository = at < 0 ? undefined : entry.slice(at + 1);
      if (!NAME.test(name)) throw new Error(`invalid extension name "${name}" (letters, digits and _ only)`);
      if (repository !== undefined && !NAME.test(repository) && !URL_LIKE.test(repository)) {
        throw new Error(`invalid repository "${repository}" for extension ${name} (a name like community, or a URL)`);
      }
      return repository === undefined ? { name } : { name, repository };
    });
}

const firstLine = (error: unknown) => String((error as Error)?.message ?? error).split('\n')[0];

/**
 * Load each extension, installing it first when it is not already available. Never throws:
 * an extension that cannot be installed or loaded is logged as a warning with DuckDB's reason,
 * and the server starts without it. Returns the names that loaded.
 */
export async function loadExtensions(
  connection: DuckDBConnection,
  specs: readonly ExtensionSpec[],
  logger: Logger,
): Promise<string[]> {
  const loaded: string[] = [];
  for (const { name, repository } of specs) {
    try {
      await connection.run(`LOAD ${name}`);
      loaded.push(name);
      logger.info({ extension: name }, 'extension loaded');
      continue;
    } catch {
      // Not built in and not installed yet: install it below.
    }
    const from = repository === undefined ? '' : NAME.test(repository) ? ` FROM ${repository}` : ` FROM '${repository}'`;
    try {
      await connection.run(`INSTALL ${name}${from}`);
      await connection.run(`LOAD ${name}`);
      loaded.push(name);
      logger.info({ extension: name, repository }, 'extension installed and loaded');
    } catch (error) {
      logger.warn(
        { extension: name, repository, reason: firstLine(error) },
        `extension ${name} could not be installed or loaded; the server starts without it`,
      );
    }
  }
  return loaded;
}
