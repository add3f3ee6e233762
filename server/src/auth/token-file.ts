// The auth token read from a file, so that it need not appear in the process list (argv) or the
// environment, where other users and crash reporters can see it.
import { readFileSync } from 'node:fs';

/**
 * Read the auth token from `path`: the file's text without its trailing line break(s). Throws an
 * `Error` with a one-line message when the file cannot be read or holds no token.
 */
export function readTokenFile(path: string): string {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    const { code, message } = error as NodeJS.ErrnoException;
    throw new Error(`cannot read auth token file ${path}: ${code ?? message.split('\n')[0]}`);
  }
  const token = text.replace(/[\r\n]+$/, '');
  if (token.trim() === '') throw new Error(`auth token file ${path} is empty`);
  if (/[\r\n]/.test(token)) throw new Error(`auth token file ${path} holds more than one line`);
  return token;
}
