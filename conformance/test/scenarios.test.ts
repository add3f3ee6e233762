/** The scenario set itself: valid data, unique ids, enough checks, a known spec section for each. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { serverScenarios, validateScenarios } from '../src/scenarios/index.js';

const docs = (file: string) => readFileSync(new URL(`../../docs/${file}`, import.meta.url), 'utf8');
/** GitHub's heading anchors: lowercase, punctuation dropped, spaces to hyphens. */
const anchors = (markdown: string) =>
  new Set(
    [...markdown.matchAll(/^#+ (.+)$/gm)].map((m) =>
      m[1]
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );

describe('scenarios', () => {
  it('are at least 100 valid checks with unique ids', () => {
    expect(serverScenarios.length).toBeGreaterThanOrEqual(100);
    expect(new Set(serverScenarios.map((s) => s.id)).size).toBe(serverScenarios.length);
  });

  it('each link to an existing section of the docs', () => {
    const byFile = new Map<string, Set<string>>();
    for (const s of serverScenarios) {
      const [file, anchor] = s.spec.split('#');
      if (!byFile.has(file)) byFile.set(file, anchors(docs(file)));
      if (anchor) expect(byFile.get(file), `${s.id} → ${s.spec}`).toContain(anchor);
    }
  });

  it('refuses a scenario that breaks the schema', () => {
    expect(() =>
      validateScenarios([
        { id: 'x', title: 't', spec: 'protocol.md', level: 'MUST', requires: [], steps: [{ do: 'fly' }] },
      ]),
    ).toThrow(/invalid/);
    expect(() =>
      validateScenarios([
        { id: 'Bad Id', title: 't', spec: 'protocol.md', level: 'MUST', requires: [], steps: [{ do: 'sleep', ms: 1 }] },
      ]),
    ).toThrow(/invalid/);
  });
});
