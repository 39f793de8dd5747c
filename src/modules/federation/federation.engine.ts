// The part of federation that needs Fedify at run time: the Fedify instance (federation.setup.ts)
// with the offices' keys, and telling followers about one release. Fedify and the libraries it
// brings (OpenTelemetry among them) take about 65 MB of resident memory and a good part of a
// second to load, so federation.service.ts loads this file on first use: the first fediverse
// request, the first activity for an office with followers, or the first queued one to deliver.
// A site nobody follows never loads it.
import { Article } from '@fedify/fedify/vocab';
import type { KeyFolder } from '../../lib/key-folder.ts';
import { createTranslator } from '../../i18n/i18n.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import type { Release } from '../releases/release.ts';
import { createActorKeys } from './federation.keys.ts';
import { releaseArticle } from './federation.objects.ts';
import { createHeroldFederation, releaseActivities, type FederationSetupDeps } from './federation.setup.ts';

export type FederationEngineDeps = Omit<FederationSetupDeps, 'keys'> & { keys: KeyFolder };

export const createFederationEngine = (deps: FederationEngineDeps) => {
  const { urls, config } = deps;
  const federation = createHeroldFederation({ ...deps, keys: createActorKeys(deps.keys) });

  /** Queues one activity about a public release to its office's followers. */
  const tell = async (release: Release, kind: 'create' | 'update' | 'delete'): Promise<void> => {
    const ctx = federation.createContext(new URL(urls.base), undefined);
    const view = presentRelease(release, urls);
    const ids = { article: ctx.getObjectUri(Article, { id: String(release.id) }), actor: ctx.getActorUri(release.office.slug), followers: ctx.getFollowersUri(release.office.slug) };
    const article = kind === 'delete' ? null : releaseArticle(view, ids, createTranslator(view.language, config.timeZone));
    const activity = releaseActivities(view, ids, article)[kind]();
    // One ordering key per release: its Create, Updates and Delete arrive in that order.
    await ctx.sendActivity({ identifier: release.office.slug }, 'followers', activity, { preferSharedInbox: true, orderingKey: ids.article.href });
  };

  return { federation, tell };
};

export type FederationEngine = ReturnType<typeof createFederationEngine>;
