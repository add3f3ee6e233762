// A real duckwire server in a child process, for tests that need it to die abruptly (SIGKILL), as a crash would.
import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const clientRoot = fileURLToPath(new URL('../..', import.meta.url));

const script = `
import { createLogger, startServer } from '@duckwire/server';
const server = await startServer({ host: '127.0.0.1', port: Number(process.argv[1]), noCache: true, logger: createLogger('error') });
process.stdout.write(JSON.stringify({ port: server.port }) + '\\n');
`;

/** A server process: its URL, and a way to kill it without a graceful shutdown. */
export interface ServerProcess {
  readonly url: string;
  readonly port: number;
  kill(): Promise<void>;
}

/** Start `@duckwire/server` in a child process on `port` (0: a free one). */
export function spawnDuckwire(port = 0): Promise<ServerProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--input-type=module', '-e', script, String(port)], {
    cwd: clientRoot,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code) => reject(new Error(`the server process exited (${code}) before listening`)));
    child.stdout?.on('data', (data) => {
      output += String(data);
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (!line) return;
      const { port: actual } = JSON.parse(line) as { port: number };
      resolve({
        url: `ws://127.0.0.1:${actual}/`,
        port: actual,
        kill: async () => {
          child.kill('SIGKILL');
          await exited;
        },
      });
    });
  });
}
