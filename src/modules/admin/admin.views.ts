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
