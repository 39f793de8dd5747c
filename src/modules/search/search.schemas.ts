// Request schema of the search page. Deliberately loose: the search service checks every value and
// turns bad ones into hints, so odd input shows a result page instead of an error page.
import { Type, type Static } from '@sinclair/typebox';
import { FeedLimit } from '../feeds/feeds.schemas.ts';

const Text = Type.String({ maxLength: 200 });

/** What a search is: its text and filters, shared by the page and its feeds. */
const searchFields = {
  q: Type.Optional(Type.String({ maxLength: 100_000 })),
  office: Type.Optional(Type.Array(Text, { maxItems: 50 })),
  topic: Type.Optional(Text),
  region: Type.Optional(Text),
  from: Type.Optional(Text),
  to: Type.Optional(Text),
  lang: Type.Optional(Text),
};

export const SearchQuery = Type.Object({
  ...searchFields,
  sort: Type.Optional(Text),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
export type SearchQuery = Static<typeof SearchQuery>;

/** The feeds of a search: the page's parameters (sort and page are ignored) and the feed `limit`. */
export const SearchFeedQuery = Type.Object({
  ...searchFields,
  limit: Type.Optional(FeedLimit),
});
export type SearchFeedQuery = Static<typeof SearchFeedQuery>;
