// The part of federation that needs Fedify at run time: the Fedify instance (federation.setup.ts)
// with the offices' keys, and telling followers about one release. Fedify and the libraries it
// brings (OpenTelemetry among them) take about 65 MB of resident memory and a good part of a
// second to load, so federation.service.ts loads this file on first use: the first fediverse
// request, or the first activity to queue or deliver. A site whose offices have no followers
// never loads it.
import { Article } from '@fedify/fedify/vocab';
import type { KeyFolder } from '../../lib/key-folder.ts';
import { createTranslator } from '../../i18n/i18n.ts';
import { presentRelease } from '../releases/releases.presenter.ts';
import { createActorKeys } from './federation.keys.ts';
import { releaseArticle } from './federation.objects.ts';
import { createHeroldFederation, releaseActivities, type FederationSetupDeps } from './federation.setup.ts';

export type FederationEngineDeps = Omit<FederationSetupDeps, 'keys'> & { keys: KeyFolder };

export const createFederationEngine = (deps: FederationEngineDeps) => {
  const { urls, config, releases } = deps;
  const federation = createHeroldFederation({ ...deps, keys: createActorKeys(deps.keys) });

  /** Queues one activity about a release to its office's followers. */
  const tell = async (releaseId: number, kind: 'create' | 'update' | 'delete'): Promise<{ updatedAt: string; officeId: number } | undefined> => {
    const release = await releases.findPublic(releaseId);
    if (!release) return undefined;
    const ctx = federation.createContext(new URL(urls.base), undefined);
    const view = presentRelease(release, urls);
    const ids = { article: ctx.getObjectUri(Article, { id: String(release.id) }), actor: ctx.getActorUri(release.office.slug), followers: ctx.getFollowersUri(release.office.slug) };
    const article = kind === 'delete' ? null : releaseArticle(view, ids, createTranslator(view.language, config.timeZone));
    const activity = releaseActivities(view, ids, article)[kind]();
    // One ordering key per release: its Create, Updates and Delete arrive in that order.
    await ctx.sendActivity({ identifier: release.office.slug }, 'followers', activity, { preferSharedInbox: true, orderingKey: ids.article.href });
    return { updatedAt: release.updatedAt, officeId: release.office.id };
  };

  return { federation, tell };
};

export type FederationEngine = ReturnType<typeof createFederationEngine>;
