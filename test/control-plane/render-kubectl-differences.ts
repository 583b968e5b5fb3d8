// `npx tsx test/control-plane/render-kubectl-differences.ts [--write]`: prints the README's table of how a debug clone
// differs from `kubectl debug --copy-to`, rendered from the rows the real-control-plane test checks
// (kubectl-debug-differences.ts); `--write` puts it into README.md between its markers.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderDifferencesTable, replaceDifferencesSection } from './kubectl-debug-differences.js';

const readme = fileURLToPath(new URL('../../README.md', import.meta.url));
if (process.argv.includes('--write')) {
  writeFileSync(readme, replaceDifferencesSection(readFileSync(readme, 'utf8')));
  console.log(`updated ${readme}`);
} else {
  process.stdout.write(renderDifferencesTable());
}
