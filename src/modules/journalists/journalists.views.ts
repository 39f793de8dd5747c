// View models of the journalists' pages and of the admin pages of accreditations.
import type { MessageKey, Translator } from '../../i18n/i18n.ts';
import type { FieldErrors } from '../../lib/errors.ts';
import type { Urls } from '../../lib/urls.ts';
import type { Office } from '../offices/offices.service.ts';
import { decisionsFor, type Accreditation, type AccreditationStatus, type Journalist } from './journalists.service.ts';

/** Field errors as texts, and the summary list (each naming its field's label). */
export const fieldErrors = (t: Translator, errors: FieldErrors, fields: readonly string[], labelPrefix: string) => {
  const messages: Record<string, string> = {};
  for (const [field, key] of Object.entries(errors)) messages[field] = t.t(`field.${key}` as MessageKey) ?? t.t(`journalists.error.${key}` as MessageKey) ?? t.t('field.invalid');
  const errorList = fields.filter((f) => messages[f]).map((f) => ({ field: f, text: `${t.t(`${labelPrefix}.${f}` as MessageKey)}: ${messages[f]}` }));
  return { messages, errorList };
};

/** The CSS class a status is shown with (the admin's status badges). */
const STATUS_CLASS: Record<AccreditationStatus, string> = { requested: 'scheduled', accepted: 'published', refused: 'withdrawn', revoked: 'withdrawn' };

export const statusView = (t: Translator, status: AccreditationStatus) => ({ label: t.t(`journalists.status.${status}`), className: `status status-${STATUS_CLASS[status]}` });

export const accountView = (
  t: Translator,
  urls: Urls,
  journalist: Journalist,
  accreditations: Accreditation[],
  offices: Office[],
  state: {
    profile?: { values: Record<string, string | boolean>; errors: FieldErrors };
    request?: { values: { office: string; message: string }; errors: FieldErrors };
    address?: { values: { email: string }; errors: FieldErrors };
    preselect: string;
  },
) => {
  const address = fieldErrors(t, state.address?.errors ?? {}, ['email'], 'journalists.address');
  const profile = fieldErrors(t, state.profile?.errors ?? {}, ['name', 'medium', 'pressCard'], 'journalists.field');
  const request = fieldErrors(t, state.request?.errors ?? {}, ['office', 'message'], 'journalists.request');
  // Offices one may ask: not those with an open request or an accreditation.
  const taken = new Set(accreditations.filter((a) => a.officeId !== null && (a.status === 'requested' || a.status === 'accepted')).map((a) => a.officeId));
  const chosen = state.request?.values.office ?? state.preselect;
  return {
    journalist: { email: journalist.email },
    profile: {
      values: state.profile?.values ?? { name: journalist.name, medium: journalist.medium, pressCard: journalist.pressCard, lang: journalist.lang, prereleaseMail: journalist.prereleaseMail, decisionMail: journalist.decisionMail },
      errors: profile.messages,
    },
    accreditations: accreditations.map((a) => ({
      office: a.officeId === null ? t.t('journalists.platformLabel') : (a.officeName ?? ''),
      officeUrl: a.officeSlug ? urls.office(a.officeSlug) : '',
      status: statusView(t, a.status),
      requestedAt: t.dateTime(a.requestedAt),
      decidedAt: a.decidedAt ? t.dateTime(a.decidedAt) : '',
      message: a.decisionMessage,
    })),
    officeChoices: offices.filter((o) => !taken.has(o.id)).map((o) => ({ slug: o.slug, name: o.name, selected: o.slug === chosen })),
    preselectTaken: state.preselect ? accreditations.some((a) => a.officeSlug === state.preselect && (a.status === 'requested' || a.status === 'accepted')) : false,
    request: { values: state.request?.values ?? { office: chosen, message: '' }, errors: request.messages },
    address: { values: state.address?.values ?? { email: '' }, errors: address.messages, action: urls.journalists.address() },
    deleteUrl: urls.journalists.deleteAccount(),
    errorList: [...profile.errorList, ...request.errorList, ...address.errorList],
    logoutAction: urls.journalists.logout(),
  };
};

/** One accreditation on an office's admin page (or the platform's), with the decisions it allows. */
export const accreditationRow = (t: Translator, a: Accreditation, base: string) => ({
  id: a.id,
  name: a.journalist.name,
  medium: a.journalist.medium,
  email: a.journalist.email,
  pressCard: a.journalist.pressCard,
  status: statusView(t, a.status),
  requestMessage: a.requestMessage,
  decisionMessage: a.decisionMessage,
  requestedAt: t.dateTime(a.requestedAt),
  decided: a.decidedAt ? t.t('journalists.admin.decided', { at: t.dateTime(a.decidedAt), who: a.decidedBy || t.t('audit.system') }) : '',
  decisions: decisionsFor(a.status).map((d) => ({ decision: d, action: `${base}/${a.id}/${d}`, label: t.t(`journalists.admin.${d}`), danger: d !== 'accept', required: d !== 'accept' })),
});
