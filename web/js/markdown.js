/**
 * Markdown → safe DOM: marked renders, highlight.js colours fenced code, DOMPurify sanitizes the HTML,
 * then evidence references in the text become citation links. Nothing from the model reaches the DOM
 * without passing DOMPurify.
 */
import { Marked } from '../vendor/marked.esm.js';
import DOMPurify from '../vendor/purify.es.mjs';
import hljs from '../vendor/highlight/core.min.js';
import bash from '../vendor/highlight/languages/bash.min.js';
import diff from '../vendor/highlight/languages/diff.min.js';
import dockerfile from '../vendor/highlight/languages/dockerfile.min.js';
import go from '../vendor/highlight/languages/go.min.js';
import java from '../vendor/highlight/languages/java.min.js';
import javascript from '../vendor/highlight/languages/javascript.min.js';
import json from '../vendor/highlight/languages/json.min.js';
import plaintext from '../vendor/highlight/languages/plaintext.min.js';
import properties from '../vendor/highlight/languages/properties.min.js';
import python from '../vendor/highlight/languages/python.min.js';
import shell from '../vendor/highlight/languages/shell.min.js';
import sql from '../vendor/highlight/languages/sql.min.js';
import xml from '../vendor/highlight/languages/xml.min.js';
import yaml from '../vendor/highlight/languages/yaml.min.js';
import { splitCitations } from './citations.js';

const languages = { bash, diff, dockerfile, go, java, javascript, json, plaintext, properties, python, shell, sql,
  xml, yaml };
for (const [name, lang] of Object.entries(languages)) hljs.registerLanguage(name, lang);
hljs.registerAliases(['sh', 'console', 'zsh'], { languageName: 'bash' });
hljs.registerAliases(['yml'], { languageName: 'yaml' });
hljs.registerAliases(['text', 'log', 'txt'], { languageName: 'plaintext' });

const escapeHtml = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;',
  "'": '&#39;' }[c]));

const marked = new Marked({
  gfm: true,
  breaks: false,
  renderer: {
    code({ text, lang }) {
      const name = (lang || '').trim().split(/\s+/)[0].toLowerCase();
      let body;
      let used = 'plaintext';
      if (name && hljs.getLanguage(name)) {
        body = hljs.highlight(text, { language: name, ignoreIllegals: true }).value;
        used = name;
      } else if (!name && text.length < 4000) {
        const auto = hljs.highlightAuto(text, ['json', 'yaml', 'bash', 'java', 'xml']);
        body = auto.relevance >= 5 ? auto.value : escapeHtml(text);
        if (auto.relevance >= 5) used = auto.language;
      } else {
        body = escapeHtml(text);
      }
      return `<pre><code class="hljs language-${escapeHtml(used)}">${body}</code></pre>\n`;
    },
    // Raw HTML in model output is shown as text, not interpreted (DOMPurify would clean it anyway).
    html({ text }) {
      return escapeHtml(text);
    },
  },
});

const PURIFY = {
  ALLOWED_TAGS: ['a', 'b', 'blockquote', 'br', 'code', 'del', 'em', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'hr', 'i',
    'li', 'ol', 'p', 'pre', 'span', 'strong', 'table', 'tbody', 'td', 'th', 'thead', 'tr', 'ul', 'input'],
  ALLOWED_ATTR: ['href', 'title', 'class', 'align', 'type', 'checked', 'disabled', 'start'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:|#)/i,
  RETURN_DOM_FRAGMENT: true,
};

DOMPurify.addHook('afterSanitizeAttributes', (node) => {
  if (node.tagName === 'A' && /^https?:/i.test(node.getAttribute('href') || '')) {
    node.setAttribute('target', '_blank');
    node.setAttribute('rel', 'noopener noreferrer');
  }
  if (node.tagName === 'INPUT' && node.getAttribute('type') !== 'checkbox') node.remove();
});

/** Renders markdown to a sanitized DocumentFragment with citation links. */
export function renderMarkdown(markdown) {
  const html = marked.parse(String(markdown ?? ''), { async: false });
  const fragment = DOMPurify.sanitize(html, PURIFY);
  linkCitations(fragment);
  return fragment;
}

/** Sanitizes an HTML string (exported for tests and for any other HTML the UI must show). */
export function sanitize(html) {
  return DOMPurify.sanitize(html, PURIFY);
}

/** Replaces evidence references in text nodes (outside links and code blocks) with citation links. */
export function linkCitations(root) {
  const doc = root.ownerDocument || document;
  const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (n.parentElement && n.parentElement.closest('a, pre')) continue;
    nodes.push(n);
  }
  for (const node of nodes) {
    const parts = splitCitations(node.nodeValue);
    if (!parts.some((p) => p.ref)) continue;
    const frag = doc.createDocumentFragment();
    for (const p of parts) frag.append(p.ref ? citationLink(p.ref, doc) : doc.createTextNode(p.text));
    node.replaceWith(frag);
  }
  return root;
}

/** A link that opens the evidence side panel (handled by a delegated click listener in main.js). */
export function citationLink(ref, doc = document, label) {
  const a = doc.createElement('a');
  a.className = 'cite';
  a.href = `#evidence=${encodeURIComponent(ref)}`;
  a.dataset.ref = ref;
  a.title = `Open evidence ${ref}`;
  a.textContent = label || ref;
  return a;
}
