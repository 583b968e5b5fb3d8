import type { z } from 'zod';

interface Def {
  type: string;
  innerType?: z.ZodType;
  in?: z.ZodType;
  out?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  element?: z.ZodType;
}
const defOf = (schema: unknown): Def => (schema as { _zod: { def: Def } })._zod.def;

/** The schema under the wrappers schema-fields.ts puts round a value: null-as-absent, defaults, renames. */
function unwrap(schema: z.ZodType): z.ZodType {
  let at = schema;
  for (;;) {
    const def = defOf(at);
    if (def.type === 'default' || def.type === 'prefault' || def.type === 'optional') at = def.innerType!;
    else if (def.type === 'pipe') at = defOf(def.in).type === 'transform' ? def.out! : def.in!;
    else return at;
  }
}

/** The keys of a mapping schema (a `section`), each with its schema; undefined when it is not a mapping. */
export function objectShapeOf(schema: z.ZodType): Record<string, z.ZodType> | undefined {
  const def = defOf(unwrap(schema));
  return def.type === 'object' ? def.shape : undefined;
}

/** The schema of a list's items; undefined when it is not a list. */
export function listItemOf(schema: z.ZodType): z.ZodType | undefined {
  const def = defOf(unwrap(schema));
  return def.type === 'array' ? def.element : undefined;
}
