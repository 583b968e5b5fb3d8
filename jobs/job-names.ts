import { jobIdOf } from '../src/actions/index.js';

/** The one BullMQ queue for debug pods: creating them, and deleting them at their TTL. */
export const DEBUG_POD_QUEUE = 'debug-pods';

export const JOB = { create: 'create', delete: 'delete' } as const;

/** Job ids from the action id (src/actions/action-ref.ts): no `:`, which BullMQ rejects in custom job ids. */
export const createJobId = (actionId: string) => jobIdOf('create', actionId);
export const deleteJobId = (actionId: string) => jobIdOf('delete', actionId);
