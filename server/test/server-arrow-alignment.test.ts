import { describe, expect, it } from 'vitest';
import { useServerAndClient } from './support/test-server.js';

const fixture = useServerAndClient();

describe('Arrow results whose payload starts at any offset of the frame', () => {
  // The header's length decides where the IPC stream starts; `q` gives 4 + 30 bytes (not a multiple of 8).
  it.each(['q', 'qq', 'q123'])('decode a UNION column with queryId %s', async (queryId) => {
    const reply = await fixture.client.query(
      'arrow',
      "select case when i % 2 = 0 then union_value(num := i::int)::union(num integer, s varchar) else union_value(s := 'x')::union(num integer, s varchar) end as v from range(4) t(i)",
      { queryId },
    );
    if (reply.kind !== 'arrow') throw new Error(JSON.stringify(reply));
    expect(reply.table.toArray().map((row) => row.v)).toEqual([0, 'x', 2, 'x']);
  });
});
