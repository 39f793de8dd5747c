// Request schema of the search page. Deliberately loose: the search service checks every value and
// turns bad ones into hints, so odd input shows a result page instead of an error page.
import { Type, type Static } from '@sinclair/typebox';

const Text = Type.String({ maxLength: 200 });

export const SearchQuery = Type.Object({
  q: Type.Optional(Type.String({ maxLength: 100_000 })),
  office: Type.Optional(Type.Array(Text, { maxItems: 50 })),
  topic: Type.Optional(Text),
  region: Type.Optional(Text),
  from: Type.Optional(Text),
  to: Type.Optional(Text),
  lang: Type.Optional(Text),
  sort: Type.Optional(Text),
  page: Type.Optional(Type.Integer({ minimum: 1, maximum: 100_000 })),
});
export type SearchQuery = Static<typeof SearchQuery>;
