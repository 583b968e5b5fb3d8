import { expect, it } from 'vitest';
import { runDemo } from '../sim/demo.js';

it('npm run demo walks through a diagnosis and a debug clone, then stops everything it started', async () => {
  const lines: string[] = [];
  await runDemo({ once: true, out: (line) => lines.push(line) });
  const text = lines.join('\n');
  expect(text).toMatch(/demo\/crash-exit1 — CrashLoopBackOff, exit 1/);
  expect(text).toMatch(/kubectl exec -it -n demo crash-exit1-debug-\w{5} -c app -- \/\.debugdead\/busybox sh/);
}, 60_000);
