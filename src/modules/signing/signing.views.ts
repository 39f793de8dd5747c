// The result of a verification (signing.verify.ts) as the „Echtheit prüfen“ page shows it: plain
// strings in the visitor's language, and a state the template styles (ok, warning, failed).
import type { Translator } from '../../i18n/i18n.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import type { PartName } from './signing.match.ts';
import type { Verification, VersionRef } from './signing.verify.ts';

export interface VerifyResultView {
  state: 'ok' | 'warning' | 'failed';
  heading: string;
  lines: string[];
  release: { title: string; office: string; url: string } | null;
  /** Listed under a heading of their own: changed words, additions. */
  details: { label: string; items: string[] }[];
}

const partLabel = (t: Translator, part: PartName): string => t.t(`verify.part.${part}` as MessageKey);

const versionLine = (t: Translator, v: VersionRef): string =>
  t.t(v.signatureValid ? 'verify.versionSigned' : 'verify.versionBadSignature', { version: String(v.version), of: String(v.of), date: t.dateTime(v.signedAt), key: v.keyId }) +
  (v.keyRetired ? ` ${t.t('verify.keyRetired')}` : '') +
  (v.status === 'withdrawn' ? ` ${t.t('verify.versionWithdrawn')}` : '');

export const verifyResultView = (result: Verification, t: Translator): VerifyResultView => {
  if (result.kind === 'none') return { state: 'failed', heading: t.t(`verify.none.${result.reason}` as MessageKey), lines: [t.t('verify.none.hint')], release: null, details: [] };
  if (result.kind === 'page') {
    return {
      state: result.version.signatureValid ? 'ok' : 'failed',
      heading: t.t(result.version.signatureValid ? 'verify.page.ok' : 'verify.signatureInvalid'),
      lines: [versionLine(t, result.version)],
      release: result.release,
      details: [],
    };
  }
  if (result.kind === 'signatures') {
    return {
      state: result.valid ? 'ok' : 'failed',
      heading: t.t(result.valid ? 'verify.signatures.ok' : 'verify.signatureInvalid'),
      lines: result.versions.map((v) => versionLine(t, v) + (v.known ? '' : ` ${t.t('verify.signatures.unknown')}`)),
      release: result.release,
      details: [],
    };
  }
  const { comparison: c, version } = result;
  const lines = [versionLine(t, version)];
  if (!result.latest) lines.push(t.t('verify.notLatest'));
  if (c.missingParts.length > 0) lines.push(t.t('verify.missingParts', { parts: [...new Set(c.missingParts)].map((p) => partLabel(t, p)).join(', ') }));
  const details: VerifyResultView['details'] = [];
  if (c.differences.length > 0)
    details.push({
      label: t.t('verify.differences'),
      items: c.differences.slice(0, 12).map((d) =>
        d.signed && d.found
          ? t.t('verify.changed', { part: partLabel(t, d.part), signed: d.signed, found: d.found })
          : d.signed
            ? t.t('verify.missing', { part: partLabel(t, d.part), signed: d.signed })
            : t.t('verify.inserted', { part: partLabel(t, d.part), found: d.found }),
      ),
    });
  if (c.additions.length > 0) details.push({ label: t.t('verify.additions'), items: c.additions.slice(0, 12) });
  const heading = !version.signatureValid ? t.t('verify.signatureInvalid') : c.verdict === 'match' ? t.t('verify.text.match') : c.verdict === 'additions' ? t.t('verify.text.additions') : t.t('verify.text.mismatch');
  const state = !version.signatureValid || c.verdict === 'mismatch' ? 'failed' : c.verdict === 'additions' ? 'warning' : 'ok';
  return { state, heading, lines, release: result.release, details };
};

/** The same result as lines of plain text, for `herold verify`. */
export const verifyResultText = (view: VerifyResultView): string =>
  [view.heading, ...(view.release ? [`${view.release.title} (${view.release.office})`, view.release.url] : []), ...view.lines, ...view.details.flatMap((d) => [`${d.label}:`, ...d.items.map((i) => `  - ${i}`)])].join('\n');
