/** Client mode (placeholder until the scripted server lands in this package). */
import type { SuiteReport } from '../engine/run-suite.js';

/** Settings of a client-mode run. */
export interface ClientSuiteOptions {
  readonly command: string;
  readonly expectedFailures?: Readonly<Record<string, string>>;
  readonly only?: readonly string[];
  readonly onResult?: (result: { status: string }) => void;
}

/** Run the client scenarios against a client driver command. */
export async function runClientSuite(_options: ClientSuiteOptions): Promise<SuiteReport> {
  throw new Error('client mode is not implemented yet');
}
