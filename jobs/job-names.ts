/** The one BullMQ queue for debug pods: creating them, and deleting them at their TTL. */
export const DEBUG_POD_QUEUE = 'debug-pods';

export const JOB = { create: 'create', delete: 'delete' } as const;

/** BullMQ rejects ':' in custom job ids; action ids never contain one (src/conversation/action-ids.ts). */
export const createJobId = (actionId: string) => `create-${actionId}`;
export const deleteJobId = (actionId: string) => `delete-${actionId}`;
