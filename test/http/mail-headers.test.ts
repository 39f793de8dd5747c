// Line breaks typed into an office name never reach a mail header: an invitation from an office
// whose name holds CR/LF is sent with a one-line subject (it was a 500, the mailer refusing it).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildTestApp } from '../helpers/app.ts';
import { createOffice } from '../helpers/factories.ts';
import { createUser } from '../helpers/admin.ts';
import { Browser } from '../helpers/forms.ts';
import { createMemoryMailer } from '../../src/modules/mail/memory-mailer.ts';

test('an office name with line breaks is kept on one line, and its invitations go out with a one-line subject', async (t) => {
  const mailer = createMemoryMailer();
  const { app } = await buildTestApp(t, { mailer });
  const office = await createOffice(app.services, { slug: 'amt', name: 'Amt' });
  await createUser(app.services, { email: 'chefin@amt.example', officeId: office.id, role: 'owner' });
  const owner = new Browser(app);
  await owner.login('chefin@amt.example');
  const saved = await owner.submitForm('/admin/offices/amt/settings', 'form[action="/admin/offices/amt/settings"]', { name: 'Amt\r\nBcc: opfer@evil.example\r\n\r\nText' });
  assert.equal(saved.statusCode, 303);
  assert.equal((await app.services.offices.findById(office.id))!.name, 'Amt Bcc: opfer@evil.example Text');

  const invited = await owner.submitForm('/admin/offices/amt/members', 'form[action="/admin/offices/amt/members/invite"]', { email: 'neu@amt.example' });
  assert.equal(invited.statusCode, 303);
  await app.services.mail.sendDue();
  const mail = mailer.sent.at(-1)!;
  assert.equal(mail.to, 'neu@amt.example');
  assert.ok(!/[\r\n]/.test(mail.subject), JSON.stringify(mail.subject));
  assert.ok(mail.subject.includes('Amt Bcc: opfer@evil.example Text'));
});

test('an office created with a line break in its name keeps it on one line', async (t) => {
  const { app } = await buildTestApp(t);
  const office = await app.services.offices.create({ slug: 'zwei', name: 'Zwei\nZeilen\u0007' });
  assert.equal(office.name, 'Zwei Zeilen');
});
