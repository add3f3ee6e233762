/** Every server-mode scenario, validated against the scenario schema when first loaded. */
import { Value } from '@sinclair/typebox/value';
import { Scenario } from '../scenario/schema.js';
import { authScenarios } from './auth.js';
import { cacheScenarios, limitScenarios } from './cache-limits.js';
import { cancelScenarios } from './cancel.js';
import { encodingScenarios } from './encodings.js';
import { framingScenarios } from './framing.js';
import { messageScenarios } from './messages.js';
import { pubsubScenarios } from './pubsub.js';
import { queryScenarios } from './queries.js';
import { uploadScenarios } from './uploads.js';
import { v1FeatureScenarios } from './v1-features.js';
import { v1Scenarios } from './v1.js';

/** Throw when a scenario breaks the schema or an id is used twice. */
export function validateScenarios(scenarios: readonly unknown[]): Scenario[] {
  const seen = new Set<string>();
  for (const candidate of scenarios) {
    const problem = Value.Errors(Scenario, candidate).First();
    const id = (candidate as { id?: string }).id;
    if (problem) throw new Error(`scenario ${id ?? '?'} is invalid at ${problem.path}: ${problem.message}`);
    if (seen.has(id!)) throw new Error(`scenario id ${id} is used twice`);
    seen.add(id!);
  }
  return scenarios as Scenario[];
}

/** The server-mode scenarios, in report order. */
export const serverScenarios: readonly Scenario[] = validateScenarios([
  ...framingScenarios,
  ...messageScenarios,
  ...authScenarios,
  ...queryScenarios,
  ...cancelScenarios,
  ...pubsubScenarios,
  ...uploadScenarios,
  ...cacheScenarios,
  ...limitScenarios,
  ...encodingScenarios,
  ...v1Scenarios,
  ...v1FeatureScenarios,
]);
