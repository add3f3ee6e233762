// Statistics and the terminal table.

/** Nearest-rank percentile of a sorted array. */
function percentile(sorted, q) {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

/** `{ n, median, p95, p99, min, max, mean }` of times in ms. */
export function summarize(times) {
  const sorted = [...times].sort((a, b) => a - b);
  const sum = sorted.reduce((a, b) => a + b, 0);
  return {
    n: sorted.length,
    median: percentile(sorted, 0.5),
    p95: percentile(sorted, 0.95),
    p99: percentile(sorted, 0.99),
    min: sorted[0] ?? Number.NaN,
    max: sorted[sorted.length - 1] ?? Number.NaN,
    mean: sorted.length ? sum / sorted.length : Number.NaN,
  };
}

export function median(values) {
  return summarize(values).median;
}

const MiB = 1024 * 1024;

export function fmtMs(ms) {
  if (ms === undefined || ms === null || Number.isNaN(ms)) return '—';
  if (ms < 1) return `${ms.toFixed(3)} ms`;
  if (ms < 100) return `${ms.toFixed(2)} ms`;
  if (ms < 10_000) return `${ms.toFixed(0)} ms`;
  return `${(ms / 1000).toFixed(1)} s`;
}

export function fmtCount(n) {
  if (n === undefined || n === null || Number.isNaN(n)) return '—';
  if (n >= 1e9) return `${(n / 1e9).toFixed(2)}G`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e4) return `${(n / 1e3).toFixed(1)}k`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(2)}k`;
  return n.toFixed(0);
}

function fmtMiB(bytes) {
  if (bytes === undefined || bytes === null || Number.isNaN(bytes)) return '—';
  return `${(bytes / MiB).toFixed(0)} MiB`;
}

function fmtMBs(value) {
  if (value === undefined || value === null || Number.isNaN(value)) return '—';
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}

function pad(text, width, right) {
  const s = String(text);
  if (s.length >= width) return s;
  return right ? s.padStart(width) : s.padEnd(width);
}

function mark(pass) {
  if (pass === true) return 'pass';
  if (pass === false) return 'FAIL';
  return '—';
}

/** One row per workload. */
export function formatTable(report) {
  const header = [
    'workload',
    'median',
    'p95',
    'p99',
    'rows/s',
    'MB/s',
    'peak RSS',
    'ΔRSS',
    'floor',
    'ratio',
    'goal',
    'ok',
  ];
  const right = [false, true, true, true, true, true, true, true, true, true, false, false];
  const rows = [];
  const errors = [];
  for (const w of report.workloads) {
    if (w.error && !w.server) {
      rows.push([
        w.name,
        'error — see below',
        '',
        '',
        '',
        '',
        fmtMiB(w.rss?.peak),
        '',
        '',
        '',
        w.goal?.text ?? '',
        '—',
      ]);
      errors.push(`${w.name}: ${w.error}`);
      continue;
    }
    const s = w.server;
    const time = w.server.latency;
    rows.push([
      w.name,
      fmtMs(time.median),
      fmtMs(time.p95),
      fmtMs(time.p99),
      fmtCount(s.rowsPerSecond),
      fmtMBs(s.megabytesPerSecond),
      fmtMiB(w.rss?.peak),
      w.rss ? fmtMiB(w.rss.peak - w.rss.idle) : '—',
      w.floor?.display ?? '—',
      w.ratio === undefined ? '—' : `${w.ratio.toFixed(2)}×`,
      w.goal?.text ?? '',
      mark(w.goal?.pass),
    ]);
    if (w.error) errors.push(`${w.name}: ${w.error}`);
  }
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  const line = (cells) =>
    cells
      .map((c, i) => pad(c, widths[i], right[i]))
      .join('  ')
      .trimEnd();
  const out = [
    `target: ${report.target.kind === 'child' ? `duckwire child process (pid ${report.target.pid})` : report.target.url}` +
      ` — ${report.machine.node}, ${report.machine.cpus} CPUs, DuckDB ${report.floor.duckdb} — ${report.durationSeconds.toFixed(0)} s${report.quick ? ' — quick' : ''}`,
    '',
    line(header),
    line(widths.map((w) => '─'.repeat(w))),
    ...rows.map(line),
  ];
  if (errors.length) out.push('', 'errors:', ...errors.map((e) => `  ${e}`));
  return out.join('\n');
}

/** Every goal, with the numbers it compares. */
export function formatGoals(report) {
  const out = ['goals:'];
  for (const w of report.workloads) {
    if (w.details) for (const detail of w.details) out.push(`  ${w.name}: ${detail}`);
    const g = w.goal;
    if (!g) continue;
    if (g.description) out.push(`  ${mark(g.timePass ?? g.pass).padEnd(4)}  ${w.name}: ${g.description}`);
    if (g.memory) {
      const m = g.memory;
      if (m.value === undefined)
        out.push(`  —     ${w.name}: peak − idle RSS ≤ 64 MiB + one batch — no RSS (give --pid)`);
      else
        out.push(
          `  ${mark(m.pass).padEnd(4)}  ${w.name}: peak − idle RSS ${fmtMiB(m.value)} ≤ 64 MiB + one batch (${fmtMiB(m.limit - 64 * MiB)}) = ${fmtMiB(m.limit)}`,
        );
    }
  }
  return out.join('\n');
}
