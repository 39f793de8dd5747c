// The table of every public URL that could show a release, a count of it or a word of it, for the
// embargo walks (test/http/embargo.test.ts, test/http/prerelease-walk.test.ts). Offices `amt` and
// `nachbar`, topics verkehr/umwelt and regions nordkreis/suedkreis (factories.ts `ensureTerms`).
export const FEEDS = ['', '/offices/amt', '/topics/verkehr', '/topics/umwelt', '/regions/nordkreis', '/regions/suedkreis'].flatMap((listing) => ['rss', 'atom', 'json'].map((f) => `${listing}/feed.${f}`));

/** Every public URL that could show the release, a count of it or a word of it. */
export const PUBLIC_URLS = [
  '/',
  '/?page=2',
  '/offices',
  '/offices/amt',
  '/offices/nachbar',
  '/topics',
  '/topics/verkehr',
  '/topics/umwelt',
  '/regions',
  '/regions/nordkreis',
  '/regions/suedkreis',
  '/archive',
  '/archive/2026/03',
  '/archive/2026/04',
  '/sitemap.xml',
  '/sitemaps/pages.xml',
  '/sitemaps/releases-2026-03.xml',
  '/sitemaps/releases-2026-04.xml',
  '/feeds',
  '/feeds.opml',
  ...FEEDS,
  '/feed.json?limit=50',
  '/search?q=Quokkaz%C3%A4hlung',
  '/search?q=Zauberwortgeheimnis',
  '/search?q=quokka*',
  '/search?q=Nordkreis',
  '/search?q=Nordkreis&topic=umwelt',
  '/search?q=Nordkreis&region=suedkreis',
  '/search?q=Nordkreis&office=amt',
  '/search?q=Nordkreis&from=2026-04-01&to=2026-04-30',
  '/search?q=%22Quokkaz%C3%A4hlung+im%22',
  '/search?q=Radwege',
  '/subscribe',
  '/api/v1/releases',
  '/api/v1/releases?limit=100',
  '/api/v1/releases?q=Quokkaz%C3%A4hlung',
  '/api/v1/releases?q=Zauberwortgeheimnis',
  '/api/v1/releases?office=amt',
  '/api/v1/releases?topic=umwelt',
  '/api/v1/releases?region=suedkreis&from=2026-04-01&to=2026-04-30',
  '/api/v1/releases?updated_since=2020-01-01T00:00:00Z',
  '/api/v1/offices',
  '/api/v1/offices/amt',
  '/api/v1/topics',
  '/api/v1/regions',
  '/offices/amt/embed',
  '/offices/amt/embed?count=20&topic=umwelt',
  '/topics/umwelt/embed',
  '/regions/nordkreis/embed?compact=1',
  // The fediverse side (asked as a fediverse server asks) and the signing keys.
  '/ap/offices/amt',
  '/ap/offices/amt/outbox',
  '/ap/offices/amt/outbox?cursor=1',
  '/nodeinfo/2.1',
  '/.well-known/herold-keys.json',
];

/** What a fediverse server asks for; a browser gets HTML (or is sent to the page). */
export const acceptOf = (url: string) => (url.startsWith('/ap/') || url.startsWith('/nodeinfo') ? 'application/activity+json' : 'text/html');

