import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SseParser } from '../../js/sse.js';

function parseAll(chunks) {
  const events = [];
  const p = new SseParser((e) => events.push(e));
  for (const c of chunks) p.push(c);
  p.end();
  return events;
}

test('parses named events with JSON data', () => {
  const ev = parseAll(['event: run\ndata: {"runId":"r1"}\n\nevent: delta\ndata: {"text":"Hello"}\n\n']);
  assert.deepEqual(ev, [{ event: 'run', data: { runId: 'r1' } }, { event: 'delta', data: { text: 'Hello' } }]);
});

test('an event split across chunks at every position is parsed the same', () => {
  const stream = 'event: delta\r\ndata: {"text":"a\\nb"}\r\n\r\nid: 7\nevent: final\ndata: {"text":"done"}\n\n';
  const whole = parseAll([stream]);
  assert.equal(whole.length, 2);
  assert.equal(whole[1].id, '7');
  for (let i = 1; i < stream.length; i++) {
    assert.deepEqual(parseAll([stream.slice(0, i), stream.slice(i)]), whole, `split at ${i}`);
  }
});

test('multi-line data is joined with newlines; comments and unknown fields are ignored', () => {
  const ev = parseAll([': keep-alive\n\ndata: line one\ndata: line two\nretry: 10\n\n']);
  assert.deepEqual(ev, [{ event: 'message', data: 'line one\nline two' }]);
});

test('a bare \\r ends a line, and an unterminated event is dropped at the end', () => {
  const ev = parseAll(['event: a\rdata: 1\r\r', 'event: b\ndata: 2\n']);
  assert.deepEqual(ev, [{ event: 'a', data: 1 }]);
});

test('a field without a colon and a value without a leading space', () => {
  const ev = parseAll(['event:error\ndata:{"message":"boom"}\n\ndata:x\ndata\n\n']);
  assert.deepEqual(ev, [{ event: 'error', data: { message: 'boom' } }, { event: 'message', data: 'x\n' }]);
});
