import { test } from 'node:test';
import assert from 'node:assert/strict';
import { splitCitations, findCitations } from '../../js/citations.js';

test('finds log line, JSON field and text-line references', () => {
  const text = 'OOMKilled [shop/pods.json:items[3].status.containerStatuses[0].lastState.terminated.reason] '
    + 'and the log says so [shop/cart-7d9f/logs.txt:412], see kubectl_describe.txt:34.';
  assert.deepEqual(findCitations(text), [
    'shop/pods.json:items[3].status.containerStatuses[0].lastState.terminated.reason',
    'shop/cart-7d9f/logs.txt:412',
    'kubectl_describe.txt:34',
  ]);
});

test('segments rebuild the original text exactly', () => {
  const text = 'See shop/events.json:items[12] and payments/ledger-5b/logs.txt:10-14. Done.';
  const parts = splitCitations(text);
  assert.equal(parts.map((p) => p.text).join(''), text);
  assert.deepEqual(parts.filter((p) => p.ref).map((p) => p.ref), ['shop/events.json:items[12]', 'payments/ledger-5b/logs.txt:10-14']);
});

test('ignores plain words, bare file names, versions and URLs', () => {
  assert.deepEqual(findCitations('Edit package.json, bump to v1.2.3, see https://example.com/a/b.json and 10:00'), []);
});

test('a bracketed reference keeps its inner brackets but not the closing one', () => {
  const parts = splitCitations('[shop/pods.json:items[0]]');
  assert.deepEqual(parts, [{ text: '[' }, { text: 'shop/pods.json:items[0]', ref: 'shop/pods.json:items[0]' }, { text: ']' }]);
});
