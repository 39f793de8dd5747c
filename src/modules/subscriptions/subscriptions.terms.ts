// What follows a topic or region moves with it when platform admins rename, merge or remove it:
// subscriptions following it by slug, and stored searches filtering by it. The taxonomies service
// calls this through the `follows` port services.ts hands it (so taxonomies imports neither
// subscriptions nor search), inside its own transaction.
import type { Kysely } from 'kysely';
import type { DB } from '../../db/database.ts';
import { decodeFollowedSearch, encodeFollowedSearch } from '../search/search.follow.ts';
import { deleteTargetValue, listSearchTargetsFiltering, moveTargetValue } from './subscriptions.repository.ts';

type TermKind = 'topic' | 'region';

export const termFollows = {
  /** How many stored searches filter by the term (removing a term asks first when any do). */
  searchesFiltering: async (trx: Kysely<DB>, kind: TermKind, slug: string): Promise<number> => (await listSearchTargetsFiltering(trx, kind, slug)).length,

  /**
   * Follows of `from` follow `to` instead. With `to` null they end: the term's subscriptions, and
   * the stored searches filtering by it (without the filter they would find far more).
   */
  async move(trx: Kysely<DB>, kind: TermKind, from: string, to: string | null): Promise<void> {
    if (to === null) await deleteTargetValue(trx, kind, from);
    else await moveTargetValue(trx, kind, from, to);
    for (const value of await listSearchTargetsFiltering(trx, kind, from)) {
      const search = decodeFollowedSearch(value);
      if (search && to !== null) await moveTargetValue(trx, 'search', value, encodeFollowedSearch({ ...search, filters: { ...search.filters, [kind]: to } }));
      else await deleteTargetValue(trx, 'search', value);
    }
  },
};
