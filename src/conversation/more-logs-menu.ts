import type { ContainerDiagnosis, ContainerLogFacts } from '../diagnosis/index.js';

/** The action_id of the More logs menu on summaries and alerts. */
export const MORE_LOGS_ACTION = 'debugdead.more_logs';

/** Lines of "Older lines": the ones just before what the thread showed. */
export const MORE_LOG_LINES = 500;

/** Which instance of a container, in kubectl's words: the one before (`--previous`) or the newest. */
export type LogInstance = 'previous' | 'current';

/** The "Last …" windows offered (kubelet `sinceSeconds`). */
export const SINCE_WINDOWS = [3600, 21600] as const;
export type SinceWindow = (typeof SINCE_WINDOWS)[number];

/**
 * What a pick asks for: `older` the MORE_LOG_LINES lines before the thread's; `since` what the instance wrote in the
 * last hour(s); `newer` the newest instance, when it is newer than the one the thread showed.
 */
export type MoreLogsRange = { kind: 'older' } | { kind: 'since'; seconds: SinceWindow } | { kind: 'newer' };

/**
 * One option of the menu. `attempt` pins the instance by the kubelet's attempt number (restartCount counts the
 * newest instance's attempt): for `older` the instance the thread showed, so a restart since is noticed instead of
 * slicing another instance's log; for `newer` the first attempt that counts as newer; for `since` the instance then
 * (the window is relative to now, so it reads the instance as it is at the click).
 */
export interface MoreLogsChoice {
  range: MoreLogsRange;
  instance: LogInstance;
  /** Index into the diagnosis record's containers. */
  container: number;
  attempt: number;
}

export interface MoreLogsPick extends MoreLogsChoice {
  diagnosisId: string;
}

/** Slack: a static select holds at most 100 options in all (option groups included); labels at most 75 characters. */
const MAX_OPTIONS = 100;
const MAX_LABEL = 75;
/**
 * Characters of option and group text at most: Slack counts them in the message's cumulative block text (about
 * 12,000), and the menu must not crowd out the diagnosis it sits on. About nine containers' worth.
 */
export const MORE_LOGS_MENU_TEXT_BUDGET = 1500;
/** Values carry the container index in two digits at most, and the attempt in six. */
const MAX_CONTAINER_INDEX = 99;
const MAX_ATTEMPT = 999_999;

const SINCE_WORDS: Record<SinceWindow, string> = { 3600: '1 h', 21600: '6 h' };
const KIND_WORDS: Record<ContainerDiagnosis['kind'], string> = {
  app: '',
  init: ' · init container',
  sidecar: ' · sidecar',
  ephemeral: ' · debug container',
};

/** The attempt number of each instance of a container as its status shows it (kubelet: restartCount is the newest's). */
export function attemptsOf(c: Pick<ContainerDiagnosis, 'state' | 'restartCount' | 'lastTermination'>): {
  current: number;
  previous: number;
} {
  // Waiting in back-off, the kubelet's "current" log is the last ended instance: the same attempt as previous.
  const backOff = c.state === 'waiting' && c.lastTermination !== undefined;
  return { current: c.restartCount, previous: backOff ? c.restartCount : c.restartCount - 1 };
}

/** Whether any instance of the container ever ran (otherwise it has no log at all). */
export function hasRun(c: Pick<ContainerDiagnosis, 'state' | 'restartCount' | 'lastTermination'>): boolean {
  return c.state === 'running' || c.state === 'terminated' || c.restartCount > 0 || c.lastTermination !== undefined;
}

/**
 * The choices for one container, from what the thread showed of it: older lines of each instance it showed, the last
 * 1 h and 6 h of the instance it showed last, and the newest instance when the thread showed only an older one (a
 * crash-looping container, whose "current" log was the last crash) or nothing (a debug container). Pure.
 */
export function moreLogsChoices(
  c: ContainerDiagnosis,
  shown: ContainerLogFacts | undefined,
  container: number,
): MoreLogsChoice[] {
  const attempts = attemptsOf(c);
  const clamp = (n: number) => Math.min(Math.max(n, 0), MAX_ATTEMPT);
  const showedPrevious = shown?.previous?.ok === true;
  const showedCurrent = shown?.current?.ok === true;
  const out: MoreLogsChoice[] = [];
  const add = (range: MoreLogsRange, instance: LogInstance, attempt: number) =>
    out.push({ range, instance, container, attempt: clamp(attempt) });
  if (showedPrevious) add({ kind: 'older' }, 'previous', attempts.previous);
  if (showedCurrent) add({ kind: 'older' }, 'current', attempts.current);
  if (hasRun(c)) {
    const instance: LogInstance = showedCurrent || !showedPrevious ? 'current' : 'previous';
    for (const seconds of SINCE_WINDOWS) add({ kind: 'since', seconds }, instance, attempts[instance]);
  }
  if (!showedCurrent) add({ kind: 'newer' }, 'current', showedPrevious ? attempts.previous + 1 : 0);
  return out;
}

/** The option's words, at most 75 characters. Pure. */
export function describeChoice(choice: Pick<MoreLogsChoice, 'range' | 'instance'>): string {
  switch (choice.range.kind) {
    case 'older':
      return `Older ${MORE_LOG_LINES} lines · ${choice.instance} instance`;
    case 'since':
      return `Last ${SINCE_WORDS[choice.range.seconds]} · ${choice.instance} instance`;
    case 'newer':
      return 'Newest instance';
  }
}

function groupLabel(c: ContainerDiagnosis): string {
  const suffix = `${KIND_WORDS[c.kind]}${c.failing ? ' · failing' : ''}`;
  return `${c.name.slice(0, MAX_LABEL - suffix.length)}${suffix}`;
}

const RANGE_CODE = (range: MoreLogsRange): string =>
  range.kind === 'older' ? 'o' : range.kind === 'newer' ? 'n' : range.seconds === 3600 ? 'h1' : 'h6';

/** `<range><instance>:<container>:<attempt>:<diagnosis id>`, like `op:0:4:AbC…`. Pure. */
export function encodeMoreLogsValue(pick: MoreLogsPick): string {
  return `${RANGE_CODE(pick.range)}${pick.instance === 'previous' ? 'p' : 'c'}:${pick.container}:${pick.attempt}:${pick.diagnosisId}`;
}

/**
 * The More logs menu: a static select (an overflow menu holds only 5 options) with one option group per container,
 * failing containers first, as many as fit Slack's 100 options and MORE_LOGS_MENU_TEXT_BUDGET. Values carry only the choice, the container's index
 * in the diagnosis record and the diagnosis id. Undefined when there is nothing to offer. Pure.
 */
export function renderMoreLogsMenu(
  diagnosisId: string,
  diagnosis: { containers: readonly ContainerDiagnosis[]; logs: readonly ContainerLogFacts[] },
) {
  const indexed = diagnosis.containers
    .map((c, index) => ({ c, index }))
    .filter(({ index }) => index <= MAX_CONTAINER_INDEX)
    .sort((a, b) => Number(b.c.failing) - Number(a.c.failing) || a.index - b.index);
  const groups: { label: { type: 'plain_text'; text: string }; options: ReturnType<typeof option>[] }[] = [];
  let total = 0;
  let chars = 0;
  for (const { c, index } of indexed) {
    const shown = diagnosis.logs.find((l) => l.container === c.name);
    const options = moreLogsChoices(c, shown, index).map((choice) => option(choice, diagnosisId));
    const label = groupLabel(c);
    const size = label.length + options.reduce((n, o) => n + o.text.text.length, 0);
    if (options.length === 0 || total + options.length > MAX_OPTIONS || chars + size > MORE_LOGS_MENU_TEXT_BUDGET)
      continue;
    total += options.length;
    chars += size;
    groups.push({ label: { type: 'plain_text', text: label }, options });
  }
  if (groups.length === 0) return undefined;
  return {
    type: 'static_select' as const,
    action_id: MORE_LOGS_ACTION,
    placeholder: { type: 'plain_text' as const, text: 'More logs…' },
    option_groups: groups,
  };
}

function option(choice: MoreLogsChoice, diagnosisId: string) {
  return {
    text: { type: 'plain_text' as const, text: describeChoice(choice) },
    value: encodeMoreLogsValue({ ...choice, diagnosisId }),
  };
}

const VALUE = /^(o[pc]|h1[pc]|h6[pc]|nc):(0|[1-9]\d?):(0|[1-9]\d{0,5}):([A-Za-z0-9_-]{8,64})$/;

/**
 * A menu value back to what it asks for, or undefined for anything the renderer does not produce (the range and
 * instance pairs it offers, no leading zeros, a diagnosis id). Pure.
 */
export function parseMoreLogsValue(value: string): MoreLogsPick | undefined {
  const m = VALUE.exec(value);
  if (!m) return undefined;
  const code = m[1] as string;
  const kind = code[0];
  const range: MoreLogsRange =
    kind === 'o'
      ? { kind: 'older' }
      : kind === 'n'
        ? { kind: 'newer' }
        : { kind: 'since', seconds: code.startsWith('h1') ? 3600 : 21600 };
  return {
    range,
    instance: code.endsWith('p') ? 'previous' : 'current',
    container: Number(m[2]),
    attempt: Number(m[3]),
    diagnosisId: m[4] as string,
  };
}
