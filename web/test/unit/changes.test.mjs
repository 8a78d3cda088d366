import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stateResult, stateClass } from '../../js/views/changes.js';

test('a state shows what it added to its input', () => {
  assert.equal(stateResult('{"changeId":"c1"}', '{"changeId":"c1","monitor":{"result":"Failed"}}'), '{"monitor":{"result":"Failed"}}');
  assert.equal(stateResult('{"a":1}', '{"a":1}'), '(passed its input on)');
  assert.equal(stateResult('{"a":1}', 'not json'), 'not json');
  assert.equal(stateResult('{}', null), '');
});

test('the graph marks the current, done, failed and unvisited states', () => {
  const x = { currentState: 'Monitor', states: [
    { name: 'Validate', output: '{}' }, { name: 'Execute', error: 'Change.Transient' , output: '{}' },
    { name: 'Stale', output: '{}' }, { name: 'Rolled back' }, { name: 'Roll back', error: 'Change.Failed' }] };
  assert.equal(stateClass('Monitor', x), 'state state-current');
  assert.equal(stateClass('Validate', x), 'state state-done');
  assert.equal(stateClass('Execute', x), 'state state-done'); // retried, then succeeded
  assert.equal(stateClass('Roll back', x), 'state state-failed');
  assert.equal(stateClass('Rolled back', x), 'state state-failed');
  assert.equal(stateClass('Escalate', x), 'state state-idle');
  assert.equal(stateClass('Escalate', null), 'state');
});
