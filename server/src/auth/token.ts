import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (value: string) => createHash('sha256').update(value, 'utf8').digest();

/**
 * Whether `candidate` equals the server token, compared in constant time. Both sides are hashed
 * first so that neither the comparison time nor an early length check reveals anything.
 */
export function tokenMatches(expected: string, candidate: unknown): boolean {
  if (typeof candidate !== 'string') return false;
  return timingSafeEqual(digest(expected), digest(candidate));
}

/** The token of an `Authorization: Bearer TOKEN` header, if any. */
export function bearerToken(header: string | undefined): string | undefined {
  const match = header?.match(/^Bearer\s+(.+)$/i);
  return match?.[1]?.trim();
}
