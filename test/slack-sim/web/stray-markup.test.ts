import { describe, expect, it } from 'vitest';
import { strayMarkup } from '../../support/stray-markup.js';

/** The checker the render tests rely on finds what it must, so a passing render test means something. */
describe('strayMarkup', () => {
  it.each([
    ['a raw date token', '<div>at &lt;!date^1795425851^{time}|x&gt;</div>', /raw <!date\^/],
    ['a raw user mention', '<span>&lt;@U0ALICE01&gt;</span>', /raw <@U/],
    ['a raw user group', '&lt;!subteam^S1&gt;', /raw <!subteam\^/],
    ['a raw channel', '&lt;#C0INCIDENT&gt;', /raw <#C/],
    ['bold left as asterisks', '<div class="bk-text">*Status* ok</div>', /raw \*bold\*/],
    ['a tag from the input', '<div><script>alert(1)</script></div>', /unescaped markup/],
    ['an attribute from the input', '<img src=x onerror=alert(1)>', /unescaped markup/],
    ['a stray <', '<div>a < b</div>', /unescaped markup/],
  ])('finds %s', (_name, html, problem) => {
    expect(strayMarkup(html).join('\n')).toMatch(problem);
  });

  it.each([
    ['rendered bold', '<div class="bk-text"><b>Status</b> ok</div>'],
    ['asterisks inside code', '<code class="mrkdwn-code">*x*</code><pre class="mrkdwn-pre">*y*</pre>'],
    ['a glob and arithmetic', '<div>prod-* and 2*3*4</div>'],
    ['escaped text', '<div>&lt;script&gt; &amp;lt;@U1&amp;gt;</div>'],
  ])('accepts %s', (_name, html) => {
    expect(strayMarkup(html)).toEqual([]);
  });
});
