#!/usr/bin/env node
// The command's entry point is CommonJS on purpose: every running query holds a libuv pool thread,
// and the pool's size is read once, when the pool first starts. The ES module loader starts it
// while loading an ES entry point, before that module's first line runs; loading this file does not.
process.env.UV_THREADPOOL_SIZE ??= '36';

// Loading the server's modules keeps most of what it allocates, and V8 answers a young generation
// whose objects survive by doubling it: by the time the server listens, the young generation has
// grown to 2 × 8 MiB, all of it resident, though an idle server uses under 2 MiB of it. So it may
// not grow while the server starts; once the server listens, it grows again as it always does,
// when the work needs it (a big result). V8 reads this flag each time it decides to grow; a user's
// own setting of it is left alone.
const GROWTH_FLAG = '--semi-space-growth-factor';
const userSets = (flag: string) =>
  [...process.execArgv, process.env.NODE_OPTIONS ?? ''].some((arg) => arg.includes(flag));
const userSetsGrowth = userSets(GROWTH_FLAG);
const v8 = require('node:v8') as typeof import('node:v8');
if (!userSetsGrowth) v8.setFlagsFromString(`${GROWTH_FLAG}=1`);

// The server's own heap is small (~13 MiB live), so V8 sets the old generation's limit only
// ~10 MiB above it, and it also starts marking when that headroom is smaller than the young
// generation. After one nested result (which grows the young generation) V8 ran an incremental
// mark-compact over and over, ~30 a second, each finding nothing to free ("allocation limit",
// 13 of 23 MiB), and every large result after it took 1.6-2x as long for the rest of the
// process's life (bench `arrow-numeric-10m-after-nested`: 1,388 vs 869 ms). Letting the old
// generation grow to 3x its live size after a collection removed that (928 vs 949 ms).
const HEAP_GROWING_FLAG = '--heap-growing-percent';
if (!userSets(HEAP_GROWING_FLAG)) v8.setFlagsFromString(`${HEAP_GROWING_FLAG}=200`);

void import('./main.js').then(() => {
  if (!userSetsGrowth) v8.setFlagsFromString(`${GROWTH_FLAG}=2`);
});
