/**
 * Finds evidence references in text, e.g. `shop/cart-7d9/logs.txt:412`, `shop/pods.json:items[3].status.phase`,
 * `kubectl_describe.txt:34` or `shop/events.json:items[12]`. Pure (no DOM), unit-tested in Node.
 */

// A path of one or more segments ending in a known evidence file, then optionally ':' and a line (range)
// or a JSON field path such as items[3].status.containerStatuses[0].lastState.terminated.reason.
const PATH = String.raw`(?:[A-Za-z0-9_.@-]+\/)*[A-Za-z0-9_.@-]+\.(?:json|txt|log|ya?ml)`;
const LINE = String.raw`\d+(?:-\d+)?`;
const FIELD = String.raw`[A-Za-z_$][\w$-]*(?:\[\d+\])*(?:\.[A-Za-z_$][\w$/-]*(?:\[\d+\])*|\[\d+\])*`;
const REF_SOURCE = String.raw`(?<![\w/.-])${PATH}(?::(?:${LINE}|${FIELD}))?`;

/** A fresh global regular expression matching one reference. */
export function refPattern() {
  return new RegExp(REF_SOURCE, 'g');
}

/**
 * Splits text into plain and reference segments.
 * @returns {{text: string, ref?: string}[]} segments in order; reference segments carry `ref`
 */
export function splitCitations(text) {
  const out = [];
  let last = 0;
  for (const m of text.matchAll(refPattern())) {
    let ref = m[0];
    // A sentence may end right after a reference ("see logs.txt:412.").
    while (/[.\-]$/.test(ref)) ref = ref.slice(0, -1);
    if (!isPlausibleRef(ref)) continue;
    if (m.index > last) out.push({ text: text.slice(last, m.index) });
    out.push({ text: ref, ref });
    last = m.index + ref.length;
  }
  if (last < text.length) out.push({ text: text.slice(last) });
  return out;
}

/** All distinct references in text, in order of appearance. */
export function findCitations(text) {
  return [...new Set(splitCitations(text).filter((s) => s.ref).map((s) => s.ref))];
}

function isPlausibleRef(ref) {
  // A bare file name without a location ("pods.json") is only a reference when it has a directory.
  return ref.includes(':') || ref.includes('/');
}
