// View models every admin form shares: plain strings, numbers, booleans, arrays and SafeHtml.
import type { Translator } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import type { FieldErrors } from '../../lib/errors.ts';

/** Field errors as messages, and the list for the error summary (linking to the fields). */
export const errorsView = (fields: FieldErrors, t: Translator, params: Record<string, string | number> = {}) => {
  const byField: Record<string, string> = {};
  for (const [field, key] of Object.entries(fields)) {
    const text = t.t(`field.${key}` as MessageKey, params);
    byField[field] = text === undefined ? t.t('field.invalid') : text;
  }
  return { errors: byField, errorList: Object.entries(byField).map(([field, text]) => ({ field, text })) };
};

/** One page of an audit log as the audit page shows it; `releaseUrl` links events about a release. */
export const auditView = (
  log: { items: { at: string; userEmail: string; action: string; releaseId: number | null; subject: string; detail: string }[]; page: number; pages: number },
  t: Translator,
  pageUrl: (page: number) => string,
  releaseUrl: (id: number) => string = () => '',
) => ({
  events: log.items.map((e) => ({
    at: t.dateTime(e.at),
    atIso: e.at,
    who: e.userEmail || t.t('audit.system'),
    action: t.t(`audit.${e.action}` as MessageKey) ?? e.action,
    subject: e.subject,
    url: e.releaseId ? releaseUrl(e.releaseId) : '',
    detail: e.action === 'release.scheduled' && e.detail ? t.dateTime(e.detail) : e.detail,
  })),
  newerUrl: log.page > 1 ? pageUrl(log.page - 1) : '',
  olderUrl: log.page < log.pages ? pageUrl(log.page + 1) : '',
});
