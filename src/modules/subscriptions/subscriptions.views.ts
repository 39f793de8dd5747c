// View models of the subscription pages: plain strings, booleans and arrays.
import type { Translator } from '../../i18n/i18n.ts';
import type { FieldErrors } from '../../lib/errors.ts';
import type { MessageKey } from '../../i18n/catalogue.ts';
import { ALL_RELEASES, FORM_KINDS, FREQUENCIES, type FormKind, type NamedTarget, type SubscriptionDetails, type TargetSelection } from './subscriptions.service.ts';

type Choices = Record<'offices' | 'topics' | 'regions', { slug: string; name: string }[]>;

const choiceList = (choices: Choices, kind: FormKind, t: Translator) =>
  kind === 'all' ? [{ slug: ALL_RELEASES, name: t.t('subscribe.kind.all') }] : kind === 'office' ? choices.offices : kind === 'topic' ? choices.topics : choices.regions;

export const emptySelection = (): TargetSelection => ({ all: [], office: [], topic: [], region: [] });

/** A followed item as people read it: „Pressestelle: Landkreis Kassel“, „Alle Pressemitteilungen“. */
export const targetLabel = (target: Pick<NamedTarget, 'kind' | 'name'>, t: (key: string) => string): string =>
  target.kind === 'all' ? t('subscribe.kind.all') : `${t(`subscribe.kind.${target.kind}`)}: ${target.name}`;

export const errorMessages = (errors: FieldErrors, t: Translator) =>
  Object.fromEntries(Object.entries(errors).map(([field, code]) => [field, t.t(`subscribe.error.${field}.${code}` as MessageKey)])) as Record<string, string>;

/** The groups of checkboxes (offices, topics, regions); `exclude` hides items already followed. */
export const targetGroups = (choices: Choices, t: Translator, checked: TargetSelection, exclude?: Set<string>) =>
  FORM_KINDS.map((kind) => ({
    kind,
    legend: t.t(`subscribe.kinds.${kind}` as MessageKey),
    items: choiceList(choices, kind, t)
      .filter((c) => !exclude?.has(`${kind}:${c.slug}`))
      .map((c) => ({ id: `${kind}-${c.slug}`, name: c.name, value: c.slug, checked: (checked[kind] ?? []).includes(c.slug) })),
  })).filter((g) => g.items.length > 0);

export const frequencyOptions = (t: Translator, current: string) =>
  FREQUENCIES.map((f) => ({ value: f, label: t.t(`subscribe.frequency.${f}`), checked: f === current }));

export const manageView = (s: SubscriptionDetails, t: Translator) => ({
  email: s.email,
  suspended: s.status === 'suspended',
  // A search's value is JSON: numbered ids, as its characters would not make unique ones.
  followed: s.targets.map((x, i) => ({ id: x.kind === 'search' ? `keep-search-${i}` : `keep-${x.kind}-${x.value}`.replace(/[^\w-]/g, '_'), value: `${x.kind}:${x.value}`, label: targetLabel(x, (key) => t.t(key as MessageKey)) })),
});
