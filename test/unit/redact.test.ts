import { test } from 'node:test';
import assert from 'node:assert/strict';
import { redactUrl } from '../../src/lib/redact.ts';

test('one-time tokens in URLs are masked for the log', () => {
  assert.equal(redactUrl('/set-password/abcDEF123_-xyz'), '/set-password/[redacted]');
  assert.equal(redactUrl('/preview/abcDEF123_-xyz?x=1'), '/preview/[redacted]?x=1');
  assert.equal(redactUrl('/admin/resume/abc'), '/admin/resume/[redacted]');
  assert.equal(redactUrl('/login?next=%2Fadmin&resume=secret'), '/login?next=%2Fadmin&resume=[redacted]');
  assert.equal(redactUrl('/admin/offices/a/releases/1/photos?_csrf=tok'), '/admin/offices/a/releases/1/photos?_csrf=[redacted]');
  assert.equal(redactUrl('/releases/12-titel'), '/releases/12-titel');
});

test('subscription links (confirm, manage, unsubscribe) and addresses in query strings are masked too', () => {
  assert.equal(redactUrl('/subscribe/confirm/abcDEF123_-xyz'), '/subscribe/confirm/[redacted]');
  assert.equal(redactUrl('/subscribe/manage/abcDEF123_-xyz?m=saved'), '/subscribe/manage/[redacted]?m=saved');
  assert.equal(redactUrl('/subscribe/manage/abcDEF123_-xyz/delete'), '/subscribe/manage/[redacted]/delete');
  assert.equal(redactUrl('/unsubscribe/abcDEF123_-xyz'), '/unsubscribe/[redacted]');
  assert.equal(redactUrl('/subscribe?office=amt&email=leser%40example.org'), '/subscribe?office=amt&email=[redacted]');
  assert.equal(redactUrl('/subscribe/sent'), '/subscribe/sent');
  assert.equal(redactUrl('/join/confirm/abcDEF123_-xyz.sig'), '/join/confirm/[redacted]');
  assert.equal(redactUrl('/join/sent'), '/join/sent');
});
