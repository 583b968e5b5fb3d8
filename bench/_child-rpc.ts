import type { ChildProcess } from 'node:child_process';

/**
 * Requests to a forked simulator child and its answers, matched by id: the child sends `{ ready }` once it listens,
 * then `{ id, result }` for each `{ id, op, … }` it was sent. (Benches keep the simulators in a child process so that
 * the memory measured is the bot's own.)
 */
export function childRpc<Ready>(child: ChildProcess): {
  ready: Promise<Ready>;
  ask: <T>(request: Record<string, unknown>) => Promise<T>;
} {
  let nextId = 1;
  const waiting = new Map<number, (v: unknown) => void>();
  const ready = new Promise<Ready>((resolve, reject) => {
    child.on('message', (m: { ready?: Ready; id?: number; result?: unknown }) => {
      if (m.ready) resolve(m.ready);
      else if (m.id !== undefined) {
        waiting.get(m.id)?.(m.result);
        waiting.delete(m.id);
      }
    });
    child.once('exit', (code) => reject(new Error(`simulator child exited with ${code}`)));
  });
  const ask = <T>(request: Record<string, unknown>): Promise<T> =>
    new Promise((resolve) => {
      const id = nextId++;
      waiting.set(id, resolve as (v: unknown) => void);
      child.send({ ...request, id });
    });
  return { ready, ask };
}
