#!/usr/bin/env node
// The command's entry point is CommonJS on purpose: every running query holds a libuv pool thread,
// and the pool's size is read once, when the pool first starts. The ES module loader starts it
// while loading an ES entry point, before that module's first line runs; loading this file does not.
process.env.UV_THREADPOOL_SIZE ??= '36';
void import('./main.js');
