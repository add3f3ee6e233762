// The page bundled for the headless-Chromium tests: the client's browser entry and the page's own apache-arrow.
import * as arrow from 'apache-arrow';
import * as duckwire from '../../src/index.js';

Object.assign(globalThis, { duckwire, arrow });
