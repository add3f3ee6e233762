#!/usr/bin/env node
// Every running query holds a libuv pool thread: size the pool before anything starts it.
process.env.UV_THREADPOOL_SIZE ??= '36';
await import('./main.js');
