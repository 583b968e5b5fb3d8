import { z } from 'zod';
import { describeValue } from './describe-value.js';
import { formatDuration, parseDuration } from './parse-duration.js';
import { parseSize } from './parse-size.js';

/**
 * The building blocks of CONFIG_SCHEMA: zod schemas whose every issue already reads `expected …, got …` (the path is
 * put in front by formatConfigIssues). A YAML key left empty (`key:`, null) counts as absent, so it takes its default.
 */

const absentIfNull = <S extends z.ZodType>(schema: S) => z.preprocess((v) => (v === null ? undefined : v), schema);
const expecting = (expected: string) => (issue: { input?: unknown }) =>
  `expected ${expected}, got ${describeValue(issue.input)}`;

/** A string; `pattern` and `expected` say which. Empty strings are refused unless `allowEmpty`. */
export function text(options: { default: string; pattern?: RegExp; expected?: string; allowEmpty?: boolean }) {
  return absentIfNull(textValue(options).default(options.default));
}

/** An optional string: absent stays absent. */
export function optionalText(options: { pattern?: RegExp; expected?: string } = {}) {
  return absentIfNull(textValue(options).optional());
}

/** A string that must be given: absent reads `required`. */
export function requiredText(options: { pattern?: RegExp; expected?: string } = {}) {
  const expected = expecting(options.expected ?? 'a non-empty string');
  const error = (issue: { input?: unknown }) => (issue.input === undefined ? 'required' : expected(issue));
  const s = z.string({ error }).min(1, { error });
  return absentIfNull(options.pattern ? s.regex(options.pattern, { error }) : s);
}

function textValue(options: { pattern?: RegExp; expected?: string; allowEmpty?: boolean }) {
  const error = expecting(options.expected ?? 'a non-empty string');
  const s = z.string({ error });
  const nonEmpty = options.allowEmpty ? s : s.min(1, { error });
  return options.pattern ? nonEmpty.regex(options.pattern, { error }) : nonEmpty;
}

export function int(def: number, min: number, max: number) {
  const error = expecting(`an integer from ${min} to ${max}`);
  return absentIfNull(z.number({ error }).int({ error }).min(min, { error }).max(max, { error }).default(def));
}

export function bool(def: boolean) {
  return absentIfNull(z.boolean({ error: expecting('true or false') }).default(def));
}

/** A boolean that may be left out: absent stays absent (read as false). */
export function optionalBool() {
  return absentIfNull(z.boolean({ error: expecting('true or false') }).optional());
}

export function oneOf<const V extends readonly [string, ...string[]]>(values: V, def: V[number]) {
  return absentIfNull(z.enum(values, { error: expecting(`one of ${values.join(', ')}`) }).default(def));
}

/** A list of strings, each checked on its own (`key[2]: expected …`). */
export function strings(def: string[], item: { pattern?: RegExp; expected?: string } = {}) {
  const error = expecting(item.expected ?? 'a string');
  const one = item.pattern ? z.string({ error }).regex(item.pattern, { error }) : z.string({ error });
  return absentIfNull(z.array(one, { error: expecting('a list') }).default(() => [...def]));
}

/** A list of mappings. */
export function list<S extends z.ZodType>(of: S) {
  return absentIfNull(z.array(of, { error: expecting('a list') }).default(() => []));
}

declare const SECONDS: unique symbol;
/** Seconds parsed from a duration; `section` renames its key `<key>Seconds` and the brand goes away. */
export type Seconds = number & { readonly [SECONDS]: true };
const DURATIONS = new WeakSet<z.ZodType>();

/** "90s", "30m", "1h30m", "2d" or a number of seconds, at least `min`; the Config field is `<key>Seconds`. */
export function duration(def: number, options: { min?: number } = {}) {
  const schema = absentIfNull(
    z
      .unknown()
      .transform((raw, ctx) => {
        const seconds = parseDuration(raw);
        if (seconds === undefined) {
          ctx.addIssue({ code: 'custom', message: `expected a duration like "30m", got ${describeValue(raw)}` });
          return z.NEVER;
        }
        if (options.min !== undefined && seconds < options.min) {
          ctx.addIssue({
            code: 'custom',
            message: `must be at least ${formatDuration(options.min)}, got ${describeValue(raw)}`,
          });
          return z.NEVER;
        }
        return seconds as Seconds;
      })
      .default(def as Seconds),
  );
  DURATIONS.add(schema);
  return schema;
}

/** A byte count: 262144, "256KiB", "1MiB", "500KB". */
export function size(def: number) {
  return absentIfNull(
    z
      .unknown()
      .transform((raw, ctx) => {
        const bytes = parseSize(raw);
        if (bytes === undefined) {
          ctx.addIssue({
            code: 'custom',
            message: `expected a size like "256KiB" or a number of bytes, got ${describeValue(raw)}`,
          });
          return z.NEVER;
        }
        return bytes;
      })
      .default(def),
  );
}

/** Duration keys renamed `<key>Seconds`, as Config names them. */
export type WithSeconds<T> = {
  [K in keyof T as T[K] extends Seconds ? `${K & string}Seconds` : K]: T[K] extends Seconds ? number : T[K];
};

/**
 * One mapping of keys (a top-level section, or an item of a list): unknown keys refused, each absent key its default,
 * the whole mapping defaulted when absent, and duration keys renamed `<key>Seconds`.
 */
export function section<Shape extends z.core.$ZodLooseShape>(shape: Shape) {
  const durations = Object.keys(shape).filter((k) => DURATIONS.has(shape[k] as z.ZodType));
  const object = z.strictObject(shape, {
    error: (issue) =>
      issue.code === 'unrecognized_keys' ? undefined : `expected a mapping of keys, got ${describeValue(issue.input)}`,
  });
  return absentIfNull(
    object
      .transform((value) => {
        const out: Record<string, unknown> = { ...value };
        for (const key of durations) {
          out[`${key}Seconds`] = out[key];
          delete out[key];
        }
        return out as WithSeconds<z.output<typeof object>>;
      })
      .prefault({} as z.input<typeof object>),
  );
}
