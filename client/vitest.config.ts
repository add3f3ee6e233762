import { defineConfig } from 'vitest/config';

// Two projects: the client against the newest apache-arrow (its devDependency), and the same client with
// `apache-arrow` resolved to 17.0.0 (what SQLRooms pins), the low end of the peer range. The server is
// kept external so it always runs on its own apache-arrow.
const shared = {
  testTimeout: 60_000,
  hookTimeout: 60_000,
  pool: 'forks' as const,
  // JSON.parse source text access (exact bigints in json results) is behind a flag in Node 20.
  execArgv: ['--harmony-json-parse-with-source'],
  // @sqlrooms/duckdb-core's ESM uses extensionless imports, which only a bundler (here vite) resolves.
  server: { deps: { external: [/\/server\/dist\//], inline: [/@sqlrooms\//] } },
};

export default defineConfig({
  test: {
    projects: [
      {
        test: { ...shared, name: 'arrow-newest', include: ['test/**/*.test.ts'], provide: { arrowMajor: 21 } },
      },
      {
        resolve: { alias: [{ find: /^apache-arrow$/, replacement: 'apache-arrow-17' }] },
        test: {
          ...shared,
          name: 'arrow-17',
          provide: { arrowMajor: 17 },
          include: [
            'test/arrow-range.test.ts',
            'test/connector.test.ts',
            'test/sqlrooms-*.test.ts',
            'test/v1-server-compression.test.ts',
          ],
        },
      },
    ],
  },
});
