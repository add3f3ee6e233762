/**
 * @packageDocumentation
 * The duckwire conformance suite: protocol scenarios as data, and a runner that plays them
 * against a server (server mode) or a client (client mode). The CLI is `duckwire-conformance`.
 */
export { Scenario, Step, Level, Pattern } from './scenario/schema.js';
export { serverScenarios, validateScenarios } from './scenarios/index.js';
export {
  runSuite,
  probeCapabilities,
  type SuiteOptions,
  type SuiteReport,
  type ScenarioResult,
  type Status,
} from './engine/run-suite.js';
export { runScenario, CheckFailure, type RunContext } from './engine/run-scenario.js';
export { mismatch } from './match/pattern.js';
export { canonicalRows, canonicalSchema, canonicalValue } from './match/arrow-values.js';
export { formatReport } from './report/format.js';
export { readExpectedFailures } from './report/expected-failures.js';
export { runClientSuite, type ClientSuiteOptions } from './client-mode/run-client-suite.js';
export { clientScenarios, ClientScenario, ClientAction } from './client-mode/scenarios.js';
