// Browser unit test: markdown rendering, sanitizing, highlighting and citation links, in real Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launchBrowser, serveStatic } from '../browser.mjs';

let browser; let server; let page;

before(async () => {
  server = await serveStatic();
  browser = await launchBrowser();
  page = await browser.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e));
  await page.goto(`${server.url}/blank`);
  await page.evaluate(async () => { window.md = await import('/js/markdown.js'); });
  assert.deepEqual(errors, []);
});

after(async () => {
  await browser?.close();
  await server?.close();
});

/** Renders markdown in the page and returns the resulting HTML and whether any script ran. */
async function render(markdown) {
  return page.evaluate((src) => {
    window.pwned = false;
    const div = document.createElement('div');
    div.append(window.md.renderMarkdown(src));
    document.body.replaceChildren(div);
    const unsafe = [...div.querySelectorAll('*')].flatMap((el) => [...el.attributes]
      .filter((a) => /^on/i.test(a.name) || /^\s*(javascript|data|vbscript):/i.test(a.value))
      .map((a) => `${el.tagName} ${a.name}=${a.value}`));
    return new Promise((resolve) => setTimeout(() => resolve({ html: div.innerHTML, pwned: window.pwned, unsafe }), 50));
  }, markdown);
}

test('markdown becomes HTML: headings, lists, emphasis, tables', async () => {
  const { html } = await render('## Cause\n\n- **OOMKilled** at *10:02*\n- `limit` 256Mi\n\n| a | b |\n|---|---|\n| 1 | 2 |');
  assert.match(html, /<h2>Cause<\/h2>/);
  assert.match(html, /<li><strong>OOMKilled<\/strong> at <em>10:02<\/em><\/li>/);
  assert.match(html, /<code>limit<\/code>/);
  assert.match(html, /<table>[\s\S]*<td>1<\/td>/);
});

test('scripts, event handlers and javascript: URLs never reach the DOM', async () => {
  const attacks = [
    '<script>window.pwned = true</script>',
    '<img src=x onerror="window.pwned = true">',
    '[click](javascript:window.pwned=true)',
    '<a href="javascript:window.pwned=true">x</a>',
    '<iframe src="javascript:parent.pwned=true"></iframe>',
    '<svg onload="window.pwned=true"></svg>',
    '![x](x" onerror="window.pwned=true)',
    '<details open ontoggle="window.pwned=true">',
  ];
  for (const a of attacks) {
    const { html, pwned, unsafe } = await render(`text ${a} more`);
    assert.equal(pwned, false, `script ran for ${a}`);
    assert.doesNotMatch(html, /<(script|img|iframe|svg|details)\b/i, `element kept for ${a}: ${html}`);
    assert.deepEqual(unsafe, [], `handler or URL kept for ${a}: ${html}`);
  }
});

test('fenced code is syntax-highlighted and escaped', async () => {
  const { html } = await render('```yaml\nresources:\n  limits:\n    memory: "512Mi" # <b>x</b>\n```');
  assert.match(html, /<pre><code class="hljs language-yaml">/);
  assert.match(html, /<span class="hljs-attr">resources:<\/span>/);
  assert.match(html, /&lt;b&gt;x&lt;\/b&gt;/);
});

test('evidence references become citation links, also inside inline code but not in code blocks', async () => {
  const { html } = await render('Killed [shop/pods.json:items[3].status] and `shop/cart-x/logs.txt:412`\n\n```\nshop/cart-x/logs.txt:9\n```');
  const links = await page.$$eval('a.cite', (as) => as.map((a) => a.dataset.ref));
  assert.deepEqual(links, ['shop/pods.json:items[3].status', 'shop/cart-x/logs.txt:412']);
  assert.match(html, /\[<a class="cite"/);
});

test('links to the web open in a new tab without opener', async () => {
  const { html } = await render('[docs](https://kubernetes.io/docs/)');
  assert.match(html, /href="https:\/\/kubernetes.io\/docs\/" target="_blank" rel="noopener noreferrer"/);
});

test('sanitize() removes dangerous HTML outright', async () => {
  const out = await page.evaluate(() => {
    const f = window.md.sanitize('<p onclick="x()">ok<script>bad()</script><img src=x onerror=bad()>'
      + '<a href="javascript:bad()">l</a><a href="https://ok.example/">w</a><style>*{}</style></p>');
    const d = document.createElement('div');
    d.append(f);
    return d.innerHTML;
  });
  assert.equal(out, '<p>ok<a>l</a><a href="https://ok.example/" target="_blank" rel="noopener noreferrer">w</a></p>');
});
