/**
 * The expected-failures file: a JSON object mapping scenario ids to the reason each is expected to
 * fail against one implementation. Keys starting with `//` are comments.
 */
import { readFileSync } from 'node:fs';

/** Read and check an expected-failures file. */
export function readExpectedFailures(path: string): Record<string, string> {
  const value = JSON.parse(readFileSync(path, 'utf8')) as unknown;
  if (value === null || typeof value !== 'object' || Array.isArray(value))
    throw new Error(`${path}: expected a JSON object of id → reason`);
  const out: Record<string, string> = {};
  for (const [id, reason] of Object.entries(value)) {
    if (id.startsWith('//')) continue;
    if (typeof reason !== 'string' || reason.trim() === '')
      throw new Error(`${path}: ${id} needs a reason (a non-empty string)`);
    out[id] = reason;
  }
  return out;
}
