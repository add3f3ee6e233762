import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** The built CLI (the test task builds the package first). */
export const CLI = fileURLToPath(new URL('../../dist/cli.cjs', import.meta.url));

/** A `duckwire-server` child process and everything it wrote. */
export interface CliProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  readonly exited: Promise<number | null>;
}

/** Spawn the CLI with `args`. */
export function spawnCli(args: string[], env: NodeJS.ProcessEnv = {}): CliProcess {
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  const proc: CliProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: new Promise((resolve) => child.on('exit', (code) => resolve(code))),
  };
  child.stdout?.on('data', (data) => {
    proc.stdout += String(data);
  });
  child.stderr?.on('data', (data) => {
    proc.stderr += String(data);
  });
  return proc;
}

/** Wait until the CLI logs that it listens; resolve with its port. */
export async function untilListening(proc: CliProcess): Promise<number> {
  for (;;) {
    const line = proc.stderr.split('\n').find((l) => l.includes('"msg":"listening"'));
    if (line) return JSON.parse(line).port as number;
    const early = await Promise.race([proc.exited.then((code) => ({ code })), new Promise((r) => setTimeout(r, 20))]);
    if (early && typeof early === 'object' && 'code' in early) {
      throw new Error(`the server exited (${early.code}) before listening: ${proc.stderr}`);
    }
  }
}
