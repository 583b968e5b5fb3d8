import { describe, expect, it } from 'vitest';
import { explainExitCode } from '../../src/diagnosis/index.js';

const EVERY_CODE = Array.from({ length: 256 }, (_, code) => ({ code }));

describe('explainExitCode', () => {
  it.each(EVERY_CODE)('explains exit $code in one non-empty sentence', ({ code }) => {
    const e = explainExitCode(code);
    expect(e.code).toBe(code);
    expect(e.meaning.length).toBeGreaterThan(10);
    expect(e.meaning).not.toMatch(/\n/);
  });

  it.each(EVERY_CODE.filter(({ code }) => code > 128 && code <= 192))(
    'names the signal behind exit $code (128 + n)',
    ({ code }) => {
      const e = explainExitCode(code);
      expect(e.signal).toMatch(/^SIG/);
      expect(e.meaning).toContain(e.signal as string);
      expect(e.meaning).toContain(`signal ${code - 128}`);
    },
  );

  it.each(EVERY_CODE.filter(({ code }) => code <= 128 || code > 192))('gives no signal for exit $code', ({ code }) => {
    expect(explainExitCode(code).signal).toBeUndefined();
  });

  it.each([
    { code: 129, signal: 'SIGHUP' },
    { code: 130, signal: 'SIGINT' },
    { code: 131, signal: 'SIGQUIT' },
    { code: 132, signal: 'SIGILL' },
    { code: 133, signal: 'SIGTRAP' },
    { code: 134, signal: 'SIGABRT' },
    { code: 135, signal: 'SIGBUS' },
    { code: 136, signal: 'SIGFPE' },
    { code: 137, signal: 'SIGKILL' },
    { code: 138, signal: 'SIGUSR1' },
    { code: 139, signal: 'SIGSEGV' },
    { code: 140, signal: 'SIGUSR2' },
    { code: 141, signal: 'SIGPIPE' },
    { code: 142, signal: 'SIGALRM' },
    { code: 143, signal: 'SIGTERM' },
    { code: 144, signal: 'SIGSTKFLT' },
    { code: 145, signal: 'SIGCHLD' },
    { code: 146, signal: 'SIGCONT' },
    { code: 147, signal: 'SIGSTOP' },
    { code: 148, signal: 'SIGTSTP' },
    { code: 149, signal: 'SIGTTIN' },
    { code: 150, signal: 'SIGTTOU' },
    { code: 151, signal: 'SIGURG' },
    { code: 152, signal: 'SIGXCPU' },
    { code: 153, signal: 'SIGXFSZ' },
    { code: 154, signal: 'SIGVTALRM' },
    { code: 155, signal: 'SIGPROF' },
    { code: 156, signal: 'SIGWINCH' },
    { code: 157, signal: 'SIGIO' },
    { code: 158, signal: 'SIGPWR' },
    { code: 159, signal: 'SIGSYS' },
    { code: 162, signal: 'SIGRTMIN' },
    { code: 165, signal: 'SIGRTMIN+3' },
    { code: 192, signal: 'SIGRTMAX' },
  ])('exit $code is $signal', ({ code, signal }) => {
    expect(explainExitCode(code).signal).toBe(signal);
  });

  it.each([
    { code: 0, words: /exited cleanly/ },
    { code: 1, words: /general application error/ },
    { code: 2, words: /usage error/ },
    { code: 64, words: /EX_USAGE/ },
    { code: 78, words: /EX_CONFIG/ },
    { code: 125, words: /runtime itself failed/ },
    { code: 126, words: /found but not executable/ },
    { code: 127, words: /command not found/ },
    { code: 128, words: /StartError/ },
    { code: 134, words: /abort/ },
    { code: 137, words: /often the OOM killer or a failed liveness probe/ },
    { code: 139, words: /segmentation fault/ },
    { code: 143, words: /SIGTERM/ },
    { code: 200, words: /application-defined/ },
    { code: 255, words: /out of range/ },
  ])('exit $code means $words', ({ code, words }) => {
    expect(explainExitCode(code).meaning).toMatch(words);
  });

  it('calls exit 0 under restartPolicy Always the problem itself', () => {
    expect(explainExitCode(0, { restartPolicy: 'Always' }).meaning).toMatch(/restartPolicy Always restarts it/);
    expect(explainExitCode(0, { restartPolicy: 'Never' }).meaning).not.toMatch(/Always/);
  });

  it('lets the OOMKilled reason override what the code would say', () => {
    for (const code of [137, 1, 0, 255]) {
      expect(explainExitCode(code, { reason: 'OOMKilled' }).meaning).toMatch(/OOM killer/);
    }
    expect(explainExitCode(137, { reason: 'OOMKilled' }).signal).toBe('SIGKILL');
  });

  it('reads StartError as a process that never ran', () => {
    expect(explainExitCode(128, { reason: 'StartError' }).meaning).toMatch(/could not start the process/);
  });

  it.each([{ code: -1 }, { code: 256 }, { code: 1.5 }, { code: Number.NaN }])(
    'says exit $code is unusual instead of guessing',
    ({ code }) => {
      expect(explainExitCode(code).meaning).toMatch(/unusual exit code/);
    },
  );
});
