/**
 * Make column names unique for use as JSON object keys, the way DuckDB itself does when it turns a
 * result into a data frame or Arrow table: the first occurrence keeps its name, later ones get
 * `_1`, `_2`, … appended (skipping any suffixed name that is already taken), so
 * `select 1 as a, 2 as a` gives the keys `a` and `a_1`. Comparison is exact (case-sensitive),
 * as JSON keys are.
 */
export function uniqueColumnNames(names: readonly string[]): string[] {
  const taken = new Set(names);
  const seen = new Set<string>();
  const counters = new Map<string, number>();
  return names.map((name) => {
    if (!seen.has(name)) {
      seen.add(name);
      return name;
    }
    let counter = counters.get(name) ?? 0;
    let candidate: string;
    do {
      counter++;
      candidate = `${name}_${counter}`;
    } while (taken.has(candidate));
    counters.set(name, counter);
    taken.add(candidate);
    seen.add(candidate);
    return candidate;
  });
}
