/**
 * How often the diagnosis names the real cause: the real-world corpus (test/diagnosis/real-world/, failures
 * transcribed from public issue threads) scored hit / partial / miss, as its test scores it. A hit is the expected
 * finding kind on top with every expected word in the headline (verdict and top finding summary).
 * Last line: {"bench":"accuracy","cases":…,"hit":…,"partial":…,"miss":…}
 */
import { formatCorpusScore, scoreCorpus } from '../test/diagnosis/real-world/score-corpus.js';

const started = performance.now();
const score = scoreCorpus();
const ms = performance.now() - started;
console.log(formatCorpusScore(score));
console.log(`scored in ${ms.toFixed(0)} ms`);
console.log(
  JSON.stringify({
    bench: 'accuracy',
    cases: score.cases,
    hit: score.hit,
    partial: score.partial,
    miss: score.miss,
  }),
);
