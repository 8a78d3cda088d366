import { test } from 'node:test';
import assert from 'node:assert/strict';
import { errorOf, query } from '../../js/api.js';

const json = (status, body) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

test('a validation error names the field and the request', async () => {
  const e = await errorOf(json(400, { error: "'from' must be before 'to'", field: 'from' }), 'GET', '/api/runs?from=x');
  assert.equal(e.status, 400);
  assert.equal(e.field, 'from');
  assert.equal(e.message, "HTTP 400 — 'from' must be before 'to' (GET /api/runs?from=x)");
});

test('a field not mentioned in the message is prefixed', async () => {
  const e = await errorOf(json(400, { error: 'must not be empty', field: 'text' }), 'POST', '/api/sessions/1/messages');
  assert.match(e.message, /^HTTP 400 — text: must not be empty/);
});

test('404 says Not found; a non-JSON body is shown as text, cut', async () => {
  const e = await errorOf(json(404, { error: 'no session abc' }), 'GET', '/api/sessions/abc');
  assert.equal(e.message, 'Not found — no session abc (GET /api/sessions/abc)');
  const p = await errorOf(new Response(`<html>${'x'.repeat(1000)}</html>`, { status: 502 }), 'GET', '/api/runs');
  assert.equal(p.status, 502);
  assert.ok(p.message.startsWith('HTTP 502 — <html>xxx') && p.message.length < 400, p.message);
});

test('query() keeps only non-empty values and encodes them', () => {
  assert.equal(query({ status: 'failed', source: '', from: undefined, to: '2026-11-21T10:00:00.000Z', limit: 0 }),
    '?status=failed&to=2026-11-21T10%3A00%3A00.000Z&limit=0');
  assert.equal(query({}), '');
});
