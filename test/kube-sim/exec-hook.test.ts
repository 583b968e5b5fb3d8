import { describe, expect, it } from 'vitest';
import { runExecHook } from '../sim/kube/kubelet/exec-hook.js';

const ctx = { podSpec: { containers: [] }, rules: [] };
const busybox = { name: 'app', image: 'busybox:1.36' };

describe('exec lifecycle hooks in the simulated kubelet', () => {
  it('succeed when the command exits 0, or when there is no exec hook', () => {
    expect(runExecHook(busybox, { exec: { command: ['true'] } }, ctx)).toBeUndefined();
    expect(runExecHook(busybox, { httpGet: { port: 80 } }, ctx)).toBeUndefined();
    expect(runExecHook(busybox, undefined, ctx)).toBeUndefined();
  });

  it("fail with the kubelet's wording when the command exits non-zero", () => {
    expect(runExecHook(busybox, { exec: { command: ['sh', '-c', 'exit 3'] } }, ctx)).toEqual({
      error: "command 'sh -c exit 3' exited with 3: ",
      output: '',
    });
    expect(runExecHook(busybox, { exec: { command: ['sh', '-c', 'warm-cache'] } }, ctx)).toEqual({
      error: "command 'sh -c warm-cache' exited with 127: sh: warm-cache: not found\n",
      output: 'sh: warm-cache: not found\n',
    });
  });

  it("fail with the runtime's exec error when the program is not in the image", () => {
    const f = runExecHook(busybox, { exec: { command: ['/hooks/warm.sh'] } }, ctx);
    expect(f?.error).toMatch(
      /^rpc error: code = Unknown desc = failed to exec in container: .*exec: "\/hooks\/warm\.sh": stat \/hooks\/warm\.sh: no such file or directory: unknown$/,
    );
  });

  it("never take the container's own behaviour for the hook's: only rules naming a command apply", () => {
    const rules = [
      { image: 'ghcr.io/acme/app', behaviour: { kind: 'exit' as const, exitCode: 1, afterSeconds: 1 } },
      {
        image: 'ghcr.io/acme/app',
        command: '/hooks/ok.sh',
        behaviour: { kind: 'exit' as const, exitCode: 0, afterSeconds: 0.1 },
      },
    ];
    const spec = { name: 'app', image: 'ghcr.io/acme/app:1' };
    expect(runExecHook(spec, { exec: { command: ['/hooks/ok.sh'] } }, { podSpec: {}, rules })).toBeUndefined();
  });
});
