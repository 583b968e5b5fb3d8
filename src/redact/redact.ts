import { SECRET_RULES, type SecretRule } from './secret-rules.js';

/** Text with its secrets replaced by `[REDACTED]`, and how many were removed. */
export interface Redacted {
  text: string;
  count: number;
}

// A replacement can, in odd inputs, complete a pattern that a later pass would see; a few passes reach the
// fixed point that makes redact(redact(x)) === redact(x). Real logs settle after the first pass.
const MAX_PASSES = 4;

/**
 * Removes secrets (cloud and SaaS tokens, JWTs, bearer headers, PEM private keys, URL passwords, `key=value`
 * credentials, connection-string passwords) from text before it leaves the cluster. Pure and total: never throws.
 */
export function redact(text: string): Redacted {
  let current = typeof text === 'string' ? text : String(text);
  let count = 0;
  for (let pass = 0; pass < MAX_PASSES; pass++) {
    const before = count;
    for (const rule of SECRET_RULES) {
      const applied = applyRule(rule, current);
      current = applied.text;
      count += applied.count;
    }
    if (count === before) break;
  }
  return { text: current, count };
}

/**
 * Like String.replace, except that a match judged innocent is skipped by one character rather than by its whole
 * length: an innocent `secretName: "..."` must not hide a real `password=...` inside its quotes.
 */
function applyRule(rule: SecretRule, text: string): Redacted {
  const re = new RegExp(rule.pattern.source, rule.pattern.flags);
  const out: string[] = [];
  let copied = 0;
  let count = 0;
  for (let m = re.exec(text); m !== null; m = re.exec(text)) {
    const end = m.index + m[0].length;
    const replacement = rule.replace(m.slice(1), text.slice(end, end + 16));
    if (replacement === undefined || replacement === m[0]) {
      re.lastIndex = m.index + 1;
      continue;
    }
    out.push(text.slice(copied, m.index), replacement);
    copied = m.index + m[0].length;
    // An empty match cannot happen for our patterns, but a zero-width step would loop forever.
    re.lastIndex = Math.max(copied, m.index + 1);
    count++;
  }
  if (count === 0) return { text, count };
  out.push(text.slice(copied));
  return { text: out.join(''), count };
}
