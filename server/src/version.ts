import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

/** This package's name and version, read from its package.json. */
export const SERVER_PACKAGE: { readonly name: string; readonly version: string } = require('../package.json');
