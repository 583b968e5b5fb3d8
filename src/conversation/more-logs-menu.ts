/** The action_id of the More logs menu on summaries and alerts. */
export const MORE_LOGS_ACTION = 'debugdead.more_logs';

/** Which instance(s) of a container: previous (the crashed one), current, or both. */
export type LogInstances = 'previous' | 'current' | 'both';

/** Lines read beyond what the thread showed: "the previous 500 lines". */
export const MORE_LOG_LINES = 500;

const CODE: Record<LogInstances, string> = { previous: 'p', current: 'c', both: 'b' };
const BY_CODE: Record<string, LogInstances> = { p: 'previous', c: 'current', b: 'both' };

/**
 * The More logs overflow menu (2 to 5 options, Slack's limits): for a one-container pod its previous and its current
 * instance; otherwise one option per container (both instances), the first five. Values carry only the instance
 * code, the container's index in the diagnosis record and the diagnosis id. Pure.
 */
export function renderMoreLogsMenu(diagnosisId: string, containers: readonly string[]) {
  const options =
    containers.length <= 1
      ? (['previous', 'current'] as const).map((instance) => ({
          text: `More logs: ${instance} instance`,
          value: `${CODE[instance]}:0:${diagnosisId}`,
        }))
      : containers.slice(0, 5).map((name, i) => ({
          text: `More logs: ${name}`.slice(0, 75),
          value: `b:${i}:${diagnosisId}`,
        }));
  return {
    type: 'overflow' as const,
    action_id: MORE_LOGS_ACTION,
    options: options.map((o) => ({ text: { type: 'plain_text' as const, text: o.text }, value: o.value })),
  };
}

/** A menu value back to what it asks for, or undefined for anything we did not render. Pure. */
export function parseMoreLogsValue(
  value: string,
): { instances: LogInstances; container: number; diagnosisId: string } | undefined {
  const m = /^([pcb]):(\d{1,3}):([A-Za-z0-9_-]{8,64})$/.exec(value);
  if (!m) return undefined;
  return { instances: BY_CODE[m[1] as string] as LogInstances, container: Number(m[2]), diagnosisId: m[3] as string };
}
