// The view of an embed: each release from the presenter's public view, as a list card in the
// embed's language; every link absolute (the page lives in another site's frame).
import type { ReleaseView } from '../../content/release-view.ts';
import { releaseWhen, whenText } from '../../content/release-when.ts';
import type { Translator } from '../../i18n/i18n.ts';
import type { Urls } from '../../lib/urls.ts';

export interface EmbedInput {
  items: ReleaseView[];
  /** The office's, topic's or region's name. */
  name: string;
  /** Its page (a path). */
  listing: string;
  lang: 'de' | 'en';
  theme: 'auto' | 'light' | 'dark';
  compact: boolean;
  t: Translator;
  urls: Urls;
  siteName: string;
  stylesheet: string;
}

export const embedView = ({ items, name, listing, lang, theme, compact, t, urls, siteName, stylesheet }: EmbedInput) => ({
  lang,
  t: t.t,
  stylesheet,
  bodyClass: `embed theme-${theme}${compact ? ' compact' : ''}`,
  heading: t.t('embed.heading', { name }),
  items: items.map((r) => {
    // The narrowest size is wide enough for a card in a sidebar.
    const size = r.photos[0]?.sizes[0];
    return {
      title: r.title,
      url: r.links.page.url,
      // The release date with the time it went public, as on the site's lists.
      date: whenText(releaseWhen(r, t)),
      dateIso: releaseWhen(r, t).dateIso,
      dateline: r.dateline,
      summary: compact ? '' : r.summary,
      photo: !compact && size ? { src: size.jpeg.url, width: size.width, height: size.height, alt: r.photos[0]!.alt } : null,
    };
  }),
  empty: t.t('embed.empty'),
  more: { url: urls.absolute(listing), label: t.t('embed.more', { name, site: siteName }) },
  feed: { url: urls.absolute(urls.feed(listing, 'rss')), label: t.t('embed.feed') },
});

/** The options of an embed as the settings page offers them; anything else falls back to the default. */
export interface EmbedOptions {
  count: number;
  topic: string;
  lang: '' | 'de' | 'en';
  theme: 'auto' | 'light' | 'dark';
  compact: boolean;
}

export const embedOptions = (query: Record<string, string | undefined>): EmbedOptions => {
  const count = Number(query.count);
  return {
    count: Number.isInteger(count) && count >= 1 && count <= 20 ? count : 5,
    topic: /^[a-z0-9][a-z0-9-]{0,99}$/.test(query.topic ?? '') ? query.topic! : '',
    lang: query.lang === 'de' || query.lang === 'en' ? query.lang : '',
    theme: query.theme === 'light' || query.theme === 'dark' ? query.theme : 'auto',
    compact: query.compact === '1',
  };
};

/** The embed's address, the code to paste into a page and the JSON API call for the same releases. */
export const embedCode = (urls: Urls, listing: string, options: EmbedOptions, title: string) => {
  const path = urls.embed(listing, {
    count: options.count === 5 ? undefined : String(options.count),
    topic: options.topic || undefined,
    lang: options.lang || undefined,
    theme: options.theme === 'auto' ? undefined : options.theme,
    compact: options.compact ? '1' : undefined,
  });
  const height = options.compact ? 60 + options.count * 48 : 80 + options.count * 96;
  const src = urls.absolute(path);
  const attribute = (value: string) => value.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
  return {
    path,
    src,
    height,
    code: `<iframe src="${attribute(src)}" title="${attribute(title)}" width="100%" height="${height}" style="border:0" loading="lazy"></iframe>`,
  };
};
