// Where PGlite's time goes, statement by statement: wraps an embedded database's protocol calls and sums the time
// of each statement (parse, bind, execute and the parsing of its rows) under its SQL text. For benchmarks only.
import { writeFileSync } from 'node:fs';

interface Stat {
  calls: number;
  ms: number;
  max: number;
}

interface ProtocolClient {
  execProtocolStream(message: Uint8Array, options?: unknown): Promise<unknown>;
  _runExclusiveQuery<T>(fn: () => Promise<T>): Promise<T>;
}

/** The SQL text of a Parse ('P') or simple Query ('Q') message, or null for other messages. */
function sqlOf(message: Uint8Array): string | null {
  const kind = message[0];
  if (kind !== 0x50 && kind !== 0x51) return null;
  let start = 5;
  if (kind === 0x50) start = message.indexOf(0, start) + 1; // skip the statement's name
  const end = message.indexOf(0, start);
  return new TextDecoder().decode(message.subarray(start, end)).replace(/\s+/g, ' ').trim();
}

/** Starts counting; returns a function that writes the table (slowest total first) to `file`. */
export function countStatements(client: ProtocolClient, file: string): () => void {
  const stats = new Map<string, Stat>();
  let current = '(none)';
  const stream = client.execProtocolStream.bind(client);
  client.execProtocolStream = (message, options) => {
    const sql = sqlOf(message);
    // A prepared statement's EXECUTE is counted under its name, not its JSON input.
    if (sql !== null) current = (/^execute \w+/i.exec(sql)?.[0] ?? sql).slice(0, 160);
    return stream(message, options);
  };
  const exclusive = client._runExclusiveQuery.bind(client);
  client._runExclusiveQuery = async (fn) => {
    const started = performance.now();
    try {
      return await exclusive(fn);
    } finally {
      const s = stats.get(current) ?? { calls: 0, ms: 0, max: 0 };
      const ms = performance.now() - started;
      s.calls++;
      s.ms += ms;
      s.max = Math.max(s.max, ms);
      stats.set(current, s);
    }
  };
  return () => {
    const rows = [...stats].sort((a, b) => b[1].ms - a[1].ms);
    const total = rows.reduce((t, [, s]) => t + s.ms, 0);
    const lines = rows.map(
      ([sql, s]) =>
        `${s.ms.toFixed(0).padStart(8)} ms ${((100 * s.ms) / total).toFixed(1).padStart(5)}% ${String(s.calls).padStart(7)} × ${(s.ms / s.calls).toFixed(2).padStart(7)} ms, max ${s.max.toFixed(0).padStart(5)}  ${sql}`,
    );
    writeFileSync(file, `total ${total.toFixed(0)} ms\n${lines.join('\n')}\n`);
  };
}
