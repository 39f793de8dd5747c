// Request schemas of the subscription pages. Loose on purpose: the service validates meaning, and
// the form routes set attachValidation so that a malformed post re-renders the form.
import { Type, type Static } from '@sinclair/typebox';

const Slug = Type.String({ maxLength: 100 });
const Slugs = Type.Union([Slug, Type.Array(Slug, { maxItems: 300 })]);
/** Searches to follow, each as its search URL's query string; the service checks and counts them. */
const SearchStrings = Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 20 })]);

export const SubscribeQuery = Type.Object({
  all: Type.Optional(Slugs),
  office: Type.Optional(Slugs),
  topic: Type.Optional(Slugs),
  region: Type.Optional(Slugs),
  search: Type.Optional(SearchStrings),
  email: Type.Optional(Type.String({ maxLength: 320 })),
  frequency: Type.Optional(Type.String({ maxLength: 20 })),
});
export type SubscribeQuery = Static<typeof SubscribeQuery>;

export const SubscribeBody = Type.Object({
  email: Type.Optional(Type.String({ maxLength: 1000 })),
  frequency: Type.Optional(Type.String({ maxLength: 20 })),
  all: Type.Optional(Slugs),
  office: Type.Optional(Slugs),
  topic: Type.Optional(Slugs),
  region: Type.Optional(Slugs),
  search: Type.Optional(SearchStrings),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
  /** Sent by the compact form on the home page: show the choices, no error. */
  choose: Type.Optional(Type.String({ maxLength: 2 })),
});
export type SubscribeBody = Static<typeof SubscribeBody>;

export const ManageBody = Type.Object({
  frequency: Type.Optional(Type.String({ maxLength: 20 })),
  /** Items kept, as `kind:value`; followed items not listed here are removed. */
  keep: Type.Optional(Type.Union([Type.String({ maxLength: 4000 }), Type.Array(Type.String({ maxLength: 4000 }), { maxItems: 500 })])),
  all: Type.Optional(Slugs),
  office: Type.Optional(Slugs),
  topic: Type.Optional(Slugs),
  region: Type.Optional(Slugs),
  _csrf: Type.Optional(Type.String({ maxLength: 200 })),
});
export type ManageBody = Static<typeof ManageBody>;

export const TokenParams = Type.Object({ token: Type.String({ maxLength: 400 }) });
export type TokenParams = Static<typeof TokenParams>;

export const ManageQuery = Type.Object({ m: Type.Optional(Type.String({ maxLength: 20 })) });
export type ManageQuery = Static<typeof ManageQuery>;
