// The exported canary script under node, with stand-ins for the Synthetics runtime modules.
// CANARY_SCRIPT: the generated script; STUB_SECRET_STRING: the Secrets Manager value;
// EXPECT: "pass" or "fail"; SECRET: the client secret (must never reach a log line or error).
'use strict';

const test = require('node:test');
const assert = require('node:assert');
const path = require('node:path');

test('the exported canary judges the API as the page does', async () => {
  const canary = require(path.resolve(process.env.CANARY_SCRIPT));
  const synthetics = require('Synthetics');
  const log = require('SyntheticsLogger');
  const secretsManager = require('@aws-sdk/client-secrets-manager');
  let error;
  try {
    await canary.handler();
  } catch (e) {
    error = e;
  }
  const everything = [...log.lines, error ? error.message : '', JSON.stringify(synthetics.steps)].join('\n');
  process.stdout.write(`${everything}\n`);
  assert.deepStrictEqual(secretsManager.asked, [process.env.EXPECT_SECRET_ID]);
  assert.ok(!everything.includes(process.env.SECRET), 'the client secret reached the output');
  if (process.env.EXPECT === 'pass') {
    assert.strictEqual(error, undefined, error && error.message);
    assert.deepStrictEqual(synthetics.steps.map((s) => [s.name, s.passed]), [['token request', true], ['API call', true]]);
    assert.ok(log.lines.some((l) => l.includes('PASS body has 3 items (actual: array of 3)')), everything);
  } else {
    assert.ok(error, 'the canary should have failed');
    assert.match(error.message, new RegExp(process.env.EXPECT_MESSAGE));
  }
});
