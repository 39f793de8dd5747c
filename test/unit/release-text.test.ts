import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { renderReleaseText, type TextSite } from '../../src/content/release-text.ts';
import { normaliseBodyMarkdown } from '../../src/content/plain-text.ts';
import { absoluteMarkdownLinks, markdownLinksAsText } from '../../src/content/markdown.ts';
import { parseReleaseText, ReleaseTextError } from '../../src/modules/transfer/release-text-parser.ts';
import { createUrls } from '../../src/lib/urls.ts';
import { trustHtml } from '../../src/lib/safe-html.ts';
import { emptyContact, type ContactBlock, type Photo, type Release } from '../../src/modules/releases/release.ts';
import { presentRelease } from '../../src/modules/releases/releases.presenter.ts';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/import/${name}`, import.meta.url), 'utf8');

const site: TextSite = { timeZone: 'Europe/Berlin', siteName: 'Herold', siteUrl: 'https://herold.example' };
const urls = createUrls('https://herold.example');

/** The text of a release as every channel gets it: through the presenter (the footer names the plain sign-up page here). */
const renderText = (release: Release): string => {
  const view = presentRelease(release, urls);
  return renderReleaseText({ ...view, links: { ...view.links, subscribe: { path: '/subscribe', url: 'https://herold.example/subscribe' } } }, site);
};

const contactHohenwald: ContactBlock = {
  organisation: 'Landkreis Hohenwald',
  role: 'Pressesprecher',
  name: 'Tobias Wendland',
  street: 'Am Schlossberg 4',
  postcode: '36289',
  town: 'Hohenwald',
  phone: '06621/408-112',
  fax: '06621/408-199',
  email: 'presse@landkreis-hohenwald.example',
  website: 'https://www.landkreis-hohenwald.example',
};

let photoId = 0;
const photo = (caption: string, credit: string, position: number): Photo => ({
  id: ++photoId,
  path: `releases/42/${photoId}-original.jpg`,
  variants: [],
  alt: caption,
  caption,
  credit,
  position,
  width: 1600,
  height: 1067,
  mime: 'image/jpeg',
  bytes: 200_000,
});

const terms = (...names: string[]) => names.map((name, i) => ({ slug: `t${i}`, name }));

const makeRelease = (overrides: Partial<Release> = {}): Release => ({
  id: 42,
  slug: 'neuer-radweg',
  office: { id: 1, slug: 'landkreis-hohenwald', name: 'Landkreis Hohenwald' },
  title: 'Neuer Radweg zwischen Altenbrück und Kirchfelden freigegeben',
  subtitle: '',
  releaseDate: '2025-03-14',
  dateline: 'Landkreis Hohenwald',
  bodyMarkdown: 'Der Landkreis Hohenwald hat den neuen Radweg freigegeben.',
  bodyHtml: trustHtml(''),
  bodyText: '',
  summary: '',
  contact: contactHohenwald,
  republicationNotice: 'Die Texte dürfen mit Nennung der Quelle kostenfrei abgedruckt werden.',
  topics: [],
  regions: [],
  language: 'de',
  status: 'published',
  publishedAt: '2025-03-14T08:00:00.000Z',
  createdAt: '2025-03-13T15:00:00.000Z',
  updatedAt: '2025-03-14T08:00:00.000Z',
  withdrawnAt: null,
  withdrawalNote: '',
  photos: [],
  attachments: [],
  corrections: [],
  ...overrides,
});

// Hand-made releases for the round trip: each exercises a different corner of the layout.
const releases: Record<string, Release> = {
  'full German release': makeRelease({
    subtitle: 'Die 6,4 Kilometer lange Strecke schließt eine Lücke im regionalen Radnetz – gebaut wurde seit dem Frühjahr 2024',
    bodyMarkdown: [
      'Der Landkreis Hohenwald hat am Mittwoch den neuen Radweg zwischen Altenbrück und Kirchfelden für den Verkehr freigegeben. Die Strecke verbindet die beiden Gemeinden erstmals abseits der Kreisstraße.',
      '',
      'Landrätin Birgit Anschütz sagte bei der Eröffnung: „Das ist ein **guter Tag** für alle, die im Alltag _mit dem Rad_ unterwegs sind.“ Mehr zum Konzept steht unter [radverkehr.landkreis-hohenwald.example](https://radverkehr.landkreis-hohenwald.example/konzept/2030/verbindungen-zwischen-den-ortsteilen).',
      '',
      '## Hintergrund',
      '',
      'Das Radverkehrskonzept sieht bis 2030 insgesamt 18 neue Verbindungen vor:',
      '',
      '- sieben Verbindungen sind fertiggestellt, darunter die Strecke Altenbrück – Kirchfelden und der Lückenschluss am Bahnhof Oberweiler',
      '- drei weitere befinden sich in der Planung',
      '- acht sind noch offen',
      '',
      '### Finanzierung',
      '',
      '1. Land: 1,4 Millionen Euro aus der Nahmobilitätsförderung des Landes, bewilligt im Herbst 2023',
      '2. Landkreis und Gemeinden: 0,7 Millionen Euro',
      '',
      'Die Baukosten lagen bei rund 2,1 Millionen Euro - das sind etwa 330.000 Euro je Kilometer - und damit im Rahmen der Planung vom 1. Juli 2023.',
    ].join('\n'),
    topics: terms('Verkehr', 'Radverkehr'),
    regions: terms('Landkreis Hohenwald', 'Altenbrück'),
    photos: [
      photo('Landrätin Birgit Anschütz (Mitte) und die Bürgermeister gaben den Radweg am Mühlenteich frei.', 'Landkreis Hohenwald/Jana Pohl', 2),
      photo('Der neue Radweg führt am Mühlenteich vorbei.', 'Landkreis Hohenwald', 1),
    ],
  }),
  'English release with minimal contact': makeRelease({
    language: 'en',
    title: 'Harbour visitor centre opens on the east pier',
    releaseDate: '2025-06-08',
    dateline: 'Port Ellery',
    office: { id: 2, slug: 'port-ellery', name: 'Port Ellery Harbour Authority' },
    bodyMarkdown: [
      'The harbour authority will open its new visitor centre on Saturday.',
      '',
      '## Opening weekend',
      '',
      'Admission is free. Tours start every hour:',
      '',
      '* lock gates, about forty minutes',
      '  * only with sturdy shoes, because the walkway over the lock gates is a metal grid',
      '* the dredger model',
      '',
      'Questions? Write to *press@portellery-harbour.example*.',
    ].join('\n'),
    contact: { ...emptyContact(), organisation: 'Port Ellery Harbour Authority', email: 'press@portellery-harbour.example' },
    republicationNotice: 'These texts may be republished free of charge if the source is named.',
    topics: terms('Tourism'),
    regions: [],
  }),
  'escapes and odd parts': makeRelease({
    title: 'Datum: Sprechstunden im Rathaus ändern sich',
    dateline: '',
    bodyMarkdown: [
      'Gute Nachrichten. Das Bürgerbüro öffnet länger.',
      '',
      'Die Termine im Überblick:',
      '',
      '- montags bis 18 Uhr',
      '- donnerstags bis 19 Uhr',
      '',
      'Bild: so sieht das neue Bürgerbüro aus, sagt die Stadt.',
      '',
      'Hintergrund:',
      '',
      'Bürgermeister Jan Ewert sagte:',
      '',
      '„Wir wollen für Berufstätige besser erreichbar sein.“',
    ].join('\n'),
    contact: {
      ...emptyContact(),
      role: 'Team Kommunikation',
      name: 'Lea Brandt',
      street: 'Rathausplatz 1',
      postcode: '35321',
      town: 'Lindenfeld',
      phone: '06405/912-20',
      website: 'lindenfeld.example',
    },
    republicationNotice: 'Abdruck honorarfrei.\n\nBelegexemplare bitte an die Pressestelle.',
    topics: terms('Verwaltung, Bürgerservice', 'Arbeit'),
    regions: terms('Lindenfeld'),
    photos: [photo('Das Bürgerbüro (Foto: links der Eingang)', '', 1), photo('', 'Stadt Lindenfeld', 2), photo('', '', 3)],
  }),
  'no contact, heading first, corrections': makeRelease({
    title: 'Wochenmarkt zieht um',
    subtitle: 'Untertitel: Bauarbeiten auf dem Marktplatz',
    dateline: 'St. Goar',
    bodyMarkdown: '## Worum es geht\n\nDer Wochenmarkt findet bis September auf dem Kirchplatz statt.\n\n\n\nFoto: Der Kirchplatz ist groß genug.',
    contact: null,
    republicationNotice: 'Sämtliche Inhalte dieser Mitteilung dürfen unverändert übernommen werden.',
    corrections: [{ at: '2025-03-15T09:30:00.000Z', note: 'Der Markt beginnt um 7 Uhr, nicht um 8 Uhr.', fileChanges: [] }],
    status: 'published',
  }),
  'messy Markdown source': makeRelease({
    dateline: 'Kassel, 26. August 2025',
    bodyMarkdown: [
      'Erster   Absatz  mit  doppelten Leerzeichen,   ',
      'weich umbrochen über',
      'drei Zeilen.',
      '',
      '',
      '',
      'Ein Link mit einer sehr langen Adresse: https://www.landkreis-hohenwald.example/aktuelles/pressemitteilungen/2025/03/radweg-altenbrueck-kirchfelden-freigegeben.html und danach geht es weiter.',
      '',
      '-   Punkt mit viel Abstand',
      '',
      '-   zweiter Punkt nach Leerzeile',
      '',
      'Noch ein Absatz, dessen Zeilen 1. nicht mit Zahlen und - nicht mit Strichen oder # Rauten beginnen dürfen, wenn er umbrochen wird, egal wo das passiert 2. Mal. Und + auch * nicht > mit 3) solchen Zeichen.',
      '',
      'Setext-Überschrift',
      '-----------------',
      '',
      '#### Eine tiefe Überschrift',
    ].join('\n'),
    contact: { ...contactHohenwald, role: '', name: 'Tobias Wendland', organisation: 'Straßenbauamt Hohenwald' },
  }),
};

const captionsOf = (r: Release) =>
  [...r.photos]
    .sort((a, b) => a.position - b.position)
    .filter((p) => p.caption || p.credit)
    .map((p) => ({ caption: p.caption, credit: p.credit }));

describe('round trip: parseReleaseText(renderReleaseText(r))', () => {
  for (const [name, release] of Object.entries(releases)) {
    it(`gives back the release: ${name}`, () => {
      const text = renderText(release);
      const parsed = parseReleaseText(text);
      const { input } = parsed;
      assert.equal(parsed.format, 'herold');
      assert.equal(parsed.titleDerived, false);
      assert.equal(input.title, release.title);
      assert.equal(input.subtitle, release.subtitle);
      assert.equal(input.releaseDate, release.releaseDate);
      assert.equal(input.dateline, release.dateline);
      // Links come back as the text shows them: `text (URL)`.
      assert.equal(input.bodyMarkdown, normaliseBodyMarkdown(markdownLinksAsText(absoluteMarkdownLinks(release.bodyMarkdown, site.siteUrl))));
      assert.equal(input.language, release.language);
      assert.deepEqual(input.topics, release.topics.map((t) => t.name));
      assert.deepEqual(input.regions, release.regions.map((t) => t.name));
      assert.equal(input.republicationNotice, release.republicationNotice);
      // The organisation is printed in capitals and comes back that way.
      assert.deepEqual(
        input.contact,
        release.contact && { ...release.contact, organisation: release.contact.organisation.toLocaleUpperCase('de-DE') },
      );
      assert.deepEqual(parsed.captions, captionsOf(release));
      // Rendering the parsed input again gives the same text.
      const again = renderText(
        {
          ...release,
          ...input,
          topics: terms(...input.topics),
          regions: terms(...input.regions),
          contact: input.contact && { ...input.contact, organisation: release.contact!.organisation },
        },
      );
      assert.equal(again, text);
    });
  }

  it('never starts a wrapped line like a list item or a heading', () => {
    for (let n = 0; n < 90; n++) {
      const words = `${'a'.repeat((n % 30) + 1)} ${'Wort '.repeat(n % 17)}- 1. # > + * 2) Ende ${'b'.repeat(n % 11)} - weiter`;
      const release = makeRelease({ bodyMarkdown: `Absatz.\n\n${words}\n\n- Punkt ${words}\n  1. Unterpunkt ${words}` });
      const parsed = parseReleaseText(renderText(release));
      assert.equal(parsed.input.bodyMarkdown, normaliseBodyMarkdown(release.bodyMarkdown));
    }
  });

  it('normaliseBodyMarkdown is idempotent', () => {
    for (const release of Object.values(releases)) {
      const once = normaliseBodyMarkdown(release.bodyMarkdown);
      assert.equal(normaliseBodyMarkdown(once), once);
    }
  });
});

describe('renderReleaseText', () => {
  const full = releases['full German release']!;
  const text = renderText(full);
  const lines = text.split('\n');

  it('puts title and subtitle before the German date line, topics and regions after it', () => {
    assert.deepEqual(lines.slice(0, 2), ['Neuer Radweg zwischen Altenbrück und Kirchfelden freigegeben', '']);
    const date = lines.indexOf('Meldungsdatum: 14.03.2025, 09:00 Uhr');
    assert.ok(date > 2);
    assert.deepEqual(lines.slice(date, date + 3), ['Meldungsdatum: 14.03.2025, 09:00 Uhr', 'Themen: Verkehr, Radverkehr', 'Regionen: Landkreis Hohenwald, Altenbrück']);
    assert.match(lines[date + 4]!, /^Landkreis Hohenwald\. Der Landkreis Hohenwald hat/);
  });

  it('writes the English date and labels', () => {
    const en = renderText(releases['English release with minimal contact']!);
    assert.match(en, /^Release date: 8 Jun 2025$/m);
    assert.match(en, /^Topics: Tourism$/m);
    assert.match(en, /^Press contact:\nPORT ELLERY HARBOUR AUTHORITY\nEmail: press@portellery-harbour\.example$/m);
  });

  it('wraps at 72 columns on word boundaries, except for a long URL', () => {
    for (const release of Object.values(releases)) {
      for (const line of renderText(release).split('\n')) {
        if ([...line].length <= 72) continue;
        assert.match(line, /^\s*(?:\S+: )?(?:https?:\/\/\S+|\S*\(https?:\/\/\S+)$/, `too long: ${line}`);
      }
    }
    const long = renderText(releases['messy Markdown source']!).split('\n');
    assert.ok(long.includes('https://www.landkreis-hohenwald.example/aktuelles/pressemitteilungen/2025/03/radweg-altenbrueck-kirchfelden-freigegeben.html'));
  });

  it('turns headings into lines ending in a colon and keeps a hanging indent in lists', () => {
    assert.ok(lines.includes('Hintergrund:'));
    assert.ok(lines.includes('Finanzierung:'));
    const item = lines.findIndex((l) => l.startsWith('- sieben Verbindungen'));
    assert.match(lines[item + 1]!, /^ {2}\S/);
    const numbered = lines.findIndex((l) => l.startsWith('1. Land:'));
    assert.match(lines[numbered + 1]!, /^ {3}\S/);
  });

  it('prints captions with credits, in photo order', () => {
    const captions = lines.filter((l) => l.startsWith('Bild: '));
    assert.equal(captions.length, 2);
    assert.equal(captions[0], 'Bild: Der neue Radweg führt am Mühlenteich vorbei. (Foto: Landkreis');
  });

  it('labels a credit once: „Foto:“ only where the credit names no kind of its own', () => {
    const text = renderText(
      makeRelease({
        photos: [photo('Der Hafen.', 'Foto: Stadtwerke Musterstadt', 0), photo('Der Plan.', 'Grafik: Stadtwerke Musterstadt', 1), photo('Die Halle.', 'Jörg Müller', 2)],
      }),
    );
    assert.match(text, /^Bild: Der Hafen\. \(Foto: Stadtwerke Musterstadt\)$/m);
    assert.match(text, /^Bild: Der Plan\. \(Grafik: Stadtwerke Musterstadt\)$/m);
    assert.match(text, /^Bild: Die Halle\. \(Foto: Jörg Müller\)$/m);
    assert.doesNotMatch(text, /Foto: (?:Foto|Grafik):/);
    // And reads back: „Grafik:“ is part of the credit, the default label is not.
    assert.deepEqual(parseReleaseText(text).captions.map((c) => c.credit), ['Stadtwerke Musterstadt', 'Grafik: Stadtwerke Musterstadt', 'Jörg Müller']);
  });

  it('writes links as „text (URL)“, an address alone where the text is the address, never Markdown syntax', () => {
    const text = renderText(
      makeRelease({
        bodyMarkdown:
          'Mehr unter [www.stadt.example/solar](https://www.stadt.example/solar) und im [Förderprogramm](https://www.stadt.example/foerderung "Förderung"), Fragen an [die Pressestelle](mailto:presse@stadt.example), Plan unter [Plan](/media/plan.pdf), <https://www.stadt.example/karte>. Code bleibt: `[a](b)`.',
      }),
    );
    const body = text.split('\n\n').find((p) => p.startsWith('Landkreis Hohenwald.'))!.replace(/\n/g, ' ');
    assert.equal(
      body,
      'Landkreis Hohenwald. Mehr unter https://www.stadt.example/solar und im Förderprogramm (https://www.stadt.example/foerderung), Fragen an die Pressestelle (presse@stadt.example), Plan unter Plan (https://herold.example/media/plan.pdf), https://www.stadt.example/karte. Code bleibt: `[a](b)`.',
    );
  });

  it('prints a correction note without a second label', () => {
    const text = renderText(makeRelease({ corrections: [{ at: '2025-03-15T09:00:00.000Z', note: 'Korrigiert: Die Länge beträgt 4 km.', fileChanges: [] }] }));
    assert.match(text, /^Korrektur vom 15\.03\.2025, 10:00 Uhr: Die Länge beträgt 4 km\.$/m);
  });

  it('prints the contact block in a fixed order, omitting empty parts', () => {
    const at = lines.indexOf('Pressekontakt:');
    assert.deepEqual(lines.slice(at, at + 10), [
      'Pressekontakt:',
      'LANDKREIS HOHENWALD',
      'Pressesprecher Tobias Wendland',
      'Am Schlossberg 4',
      '36289 Hohenwald',
      'Tel.: 06621/408-112',
      'Fax: 06621/408-199',
      'E-Mail: presse@landkreis-hohenwald.example',
      'https://www.landkreis-hohenwald.example',
      '',
    ]);
    const noFax = renderText(makeRelease({ contact: { ...contactHohenwald, fax: '', street: '' } }));
    assert.match(noFax, /36289 Hohenwald\nTel\.: 06621\/408-112\nE-Mail:/);
    assert.doesNotMatch(noFax, /Fax:/);
  });

  it('ends with the platform footer and its links', () => {
    const tail = text.slice(text.indexOf('Die Pressestelle'));
    assert.equal(
      tail,
      [
        'Die Pressestelle „Landkreis Hohenwald“ ist Mitglied bei Herold',
        '[https://herold.example]. Dort können Sie Mitteilungen weiterer',
        'Pressestellen recherchieren und als RSS-Feed oder E-Mail abonnieren.',
        '',
        'RSS-Feed dieser Pressestelle:',
        'https://herold.example/offices/landkreis-hohenwald/feed.rss',
        'Per E-Mail abonnieren: https://herold.example/subscribe',
        'Diese Mitteilung online: https://herold.example/releases/42-neuer-radweg',
        '',
      ].join('\n'),
    );
    const en = renderText(releases['English release with minimal contact']!);
    assert.match(en.replace(/\n/g, ' '), /The press office “Port Ellery Harbour Authority” is a member of Herold \[https:\/\/herold\.example\]\. There you can search/);
    assert.match(en, /^Subscribe by e-mail: https:\/\/herold\.example\/subscribe$/m);
  });

  it('uses \\n line ends, separates paragraphs by one blank line and ends with one newline', () => {
    assert.ok(!text.includes('\r'));
    assert.ok(!text.includes('\n\n\n'));
    assert.ok(text.endsWith('.example/releases/42-neuer-radweg\n'));
    assert.ok(lines.every((l) => l === l.trimEnd()));
  });

  it('lists corrections with the time in Berlin', () => {
    const out = renderText(releases['no contact, heading first, corrections']!).replace(/(?<=\S)\n(?=\S)/g, ' ');
    assert.match(out, /^Korrektur vom 15\.03\.2025, 10:30 Uhr: Der Markt beginnt um 7 Uhr, nicht um 8 Uhr\.$/m);
    const en = renderText(
      makeRelease({ language: 'en', corrections: [{ at: '2025-07-01T22:15:00.000Z', note: 'Fixed the date.', fileChanges: [] }] }),
    );
    assert.match(en, /^Correction of 2 Jul 2025, 00:15 CEST: Fixed the date\.$/m);
  });

  it('gives links to the site its address, as the text is read elsewhere; other links and code stay', () => {
    const out = renderText(makeRelease({ bodyMarkdown: 'Der [Haushaltsplan](/media/haushalt.pdf) und [der Kreis](https://kreis.example/a) stehen online. `[nicht](/hier)`' }));
    const joined = out.replace(/\n(?=\S)/g, ' ');
    assert.match(joined, /Haushaltsplan \(https:\/\/herold\.example\/media\/haushalt\.pdf\)/);
    assert.match(joined, /der Kreis \(https:\/\/kreis\.example\/a\)/);
    assert.match(joined, /`\[nicht\]\(\/hier\)`/);
  });

  it('renders a withdrawn release as a notice instead of the body', () => {
    const withdrawn = makeRelease({
      status: 'withdrawn',
      withdrawnAt: '2025-03-15T16:05:00.000Z',
      withdrawalNote: 'Die Freigabe des Radwegs wurde verschoben.',
      photos: [photo('Ein Bild', 'Jemand', 1)],
    });
    const out = renderText(withdrawn);
    assert.match(out, /^ZURÜCKGEZOGEN: Diese Mitteilung wurde am 15\.03\.2025, 17:05 Uhr$/m);
    assert.match(out, /^Begründung: Die Freigabe des Radwegs wurde verschoben\.$/m);
    assert.doesNotMatch(out, /hat den neuen Radweg freigegeben/);
    assert.doesNotMatch(out, /Bild:/);
    assert.match(out, /^Pressekontakt:$/m);
    assert.throws(() => parseReleaseText(out), (e: unknown) => e instanceof ReleaseTextError && /^This release was withdrawn/.test(e.message));
    const en = renderText({ ...withdrawn, language: 'en', withdrawalNote: 'Opening postponed.' });
    assert.match(en, /^WITHDRAWN: This release was withdrawn on 15 Mar 2025, 17:05 CET and is$/m);
    assert.match(en, /^Reason: Opening postponed\.$/m);
  });
});

describe('parseReleaseText: portal texts', () => {
  it('reads a release like the portal reference, with fax', () => {
    const parsed = parseReleaseText(fixture('landkreis-mit-fax.txt'));
    const { input } = parsed;
    assert.equal(parsed.format, 'portal');
    assert.equal(input.releaseDate, '2025-03-14');
    assert.equal(input.dateline, 'Landkreis Hohenwald');
    assert.equal(input.language, 'de');
    assert.equal(parsed.titleDerived, true);
    assert.equal(input.title, 'Der Landkreis Hohenwald hat am Mittwoch den neuen Radweg zwischen Altenbrück und…');
    assert.ok([...input.title].length <= 90);
    assert.match(input.bodyMarkdown, /^Der Landkreis Hohenwald hat am Mittwoch/);
    assert.match(input.bodyMarkdown, /\n\n## Hintergrund\n\nDas Radverkehrskonzept/);
    assert.equal(input.bodyMarkdown.split('\n\n').length, 5);
    assert.deepEqual(parsed.captions, [
      {
        caption: 'Landrätin Birgit Anschütz (Mitte) und die Bürgermeister Jens Kolbe und Martina Reuter gaben den neuen Radweg am Mühlenteich gemeinsam frei.',
        credit: '',
      },
    ]);
    assert.deepEqual(input.contact, {
      organisation: 'LANDKREIS HOHENWALD',
      role: 'Pressesprecher',
      name: 'Tobias Wendland',
      street: 'Am Schlossberg 4',
      postcode: '36289',
      town: 'Hohenwald',
      phone: '06621/408-112',
      fax: '06621/408-199',
      email: 'presse@landkreis-hohenwald.example',
      website: 'https://www.landkreis-hohenwald.example',
    });
    assert.equal(input.republicationNotice, 'Die Texte dürfen mit Nennung der Quelle kostenfrei abgedruckt werden; über ein Belegexemplar freuen wir uns.');
    assert.doesNotMatch(input.bodyMarkdown + input.republicationNotice, /Mitglied bei/);
    assert.deepEqual(input.topics, []);
    assert.ok(parsed.report.some((l) => /^footer dropped/.test(l)));
    assert.ok(parsed.report.some((l) => /^dateline: Landkreis Hohenwald$/.test(l)));
    assert.ok(parsed.report.some((l) => /^title derived/.test(l)));
  });

  it('reads a release without fax and without a photo: the last paragraph stays body text', () => {
    const parsed = parseReleaseText(fixture('stadt-ohne-fax.txt'));
    const { input } = parsed;
    assert.equal(input.contact?.fax, '');
    assert.equal(input.contact?.role, 'Pressereferentin');
    assert.equal(input.contact?.name, 'Dr. Miriam Hollstein');
    assert.equal(input.contact?.website, 'www.lindenfeld.example');
    assert.deepEqual(parsed.captions, []);
    assert.match(input.bodyMarkdown, /Eine Übersicht aller Öffnungszeiten steht auf der Internetseite der Stadt\.$/);
    // "1. Oktober" is an ordinal, not the end of the first sentence.
    assert.equal(input.title, 'Die Stadtbücherei Lindenfeld öffnet ab dem 1. Oktober auch am Samstagvormittag');
    assert.equal(input.republicationNotice, 'Abdruck honorarfrei, Belegexemplar erbeten.');
  });

  it('reads two captions: one marked with a prefix and credit, one followed by a credit line', () => {
    const parsed = parseReleaseText(fixture('zwei-bilder.txt'));
    assert.deepEqual(parsed.captions, [
      { caption: 'Die neue Drehleiter vor dem Gerätehaus an der Bahnhofstraße.', credit: 'Feuerwehr Lindenfeld' },
      { caption: 'Kreisbrandinspektor Ralf Görke übergibt den Fahrzeugschlüssel an Wehrführerin Sandra Ebel.', credit: 'Stadt Lindenfeld/Lena Hartig' },
    ]);
    assert.match(parsed.input.bodyMarkdown, /aus der Feuerwehrförderung\.$/);
    assert.equal(parsed.input.bodyMarkdown.split('\n\n').length, 3);
  });

  it('reads heading lines and list lines, but not a lead-in to a quote', () => {
    const { input, captions } = parseReleaseText(fixture('mit-zwischenueberschriften.txt'));
    assert.match(input.bodyMarkdown, /\n\n## So funktioniert die Anmeldung\n\n/);
    assert.match(input.bodyMarkdown, /\n\n## Termine im Überblick\n\n- Dienstag, 3\. Juni: Pflegegrade[^\n]*\n- Dienstag, 10\. Juni/);
    assert.match(input.bodyMarkdown, /\n\nKreisbeigeordneter Paul Seidler betont:\n\n„Wer zu Hause pflegt/);
    assert.match(input.bodyMarkdown, /- Dienstag, 24\. Juni: Auf sich selbst achten$/);
    assert.deepEqual(captions, []);
    assert.equal(input.contact?.role, 'Leiterin Presse- und Öffentlichkeitsarbeit');
    assert.equal(input.contact?.name, 'Nadine Kersting');
  });

  it('reads an English release', () => {
    const parsed = parseReleaseText(fixture('english.txt'));
    const { input } = parsed;
    assert.equal(input.language, 'en');
    assert.equal(input.releaseDate, '2025-06-18');
    assert.equal(input.dateline, 'Port Ellery');
    assert.equal(input.contact?.organisation, 'PORT ELLERY HARBOUR AUTHORITY');
    assert.equal(input.contact?.role, 'Press officer');
    assert.equal(input.contact?.name, 'Daniel Okafor');
    assert.equal(input.contact?.street, 'East Pier 7');
    assert.equal(input.contact?.phone, '+44 1632 960 441');
    assert.equal(input.contact?.email, 'press@portellery-harbour.example');
    assert.deepEqual(parsed.captions, [
      {
        caption: 'Harbour master Claire Donnelly shows the model of the first steam dredger built in Port Ellery.',
        credit: 'Port Ellery Harbour Authority',
      },
    ]);
    assert.equal(input.republicationNotice, 'These texts may be republished free of charge if the source is named.');
    // "10 a.m." does not end the first sentence of the second paragraph; the title is the first sentence.
    assert.equal(input.title, 'The harbour authority of Port Ellery will open its new visitor centre on the east pier…');
  });

  it('reads a Titel: line before the date line', () => {
    const parsed = parseReleaseText(fixture('mit-titel.txt'));
    assert.equal(parsed.input.title, 'Wochenmarkt zieht für den Sommer auf den Kirchplatz');
    assert.equal(parsed.titleDerived, false);
    assert.equal(parsed.input.releaseDate, '2025-04-30');
    assert.deepEqual(parsed.captions, []);
    assert.match(parsed.input.bodyMarkdown, /Imkerei aus Oberweiler\.$/);
  });

  it('reads plain title and subtitle lines before the date line, and the language option', () => {
    const text = fixture('mit-titel.txt').replace(/^Titel: (.*)\n/, '$1\nBauarbeiten am Marktplatz dauern bis zum Herbst\n');
    const parsed = parseReleaseText(text, { lang: 'en' });
    assert.equal(parsed.input.title, 'Wochenmarkt zieht für den Sommer auf den Kirchplatz');
    assert.equal(parsed.input.subtitle, 'Bauarbeiten am Marktplatz dauern bis zum Herbst');
    assert.equal(parsed.input.language, 'en');
  });

  it('accepts Windows line ends and a byte-order mark', () => {
    const parsed = parseReleaseText(`\uFEFF${fixture('stadt-ohne-fax.txt').replace(/\n/g, '\r\n')}`);
    assert.equal(parsed.input.releaseDate, '2025-09-02');
    assert.equal(parsed.input.contact?.town, 'Lindenfeld');
  });
});

describe('parseReleaseText: errors', () => {
  const fails = (text: string, line: number, message: RegExp) =>
    assert.throws(
      () => parseReleaseText(text),
      (e: unknown) => {
        assert.ok(e instanceof ReleaseTextError);
        assert.equal(e.line, line);
        assert.match(e.message, message);
        return true;
      },
    );

  it('rejects a text without a date line', () => fails(fixture('kaputt-ohne-datum.txt'), 1, /^No date line/));
  it('rejects an impossible date', () => fails(fixture('kaputt-unmoegliches-datum.txt'), 2, /"31\.02\.2025" is not a calendar date/));
  it('rejects an unreadable date', () => fails('\n\nMeldungsdatum: nächste Woche\nKassel. Text.\n', 3, /cannot read the date/));
  it('rejects a release without body text', () => fails(fixture('kaputt-leerer-text.txt'), 2, /^The release has no body text/));
  it('rejects an empty text', () => fails('  \n\n', 1, /^The text is empty/));
  it('rejects more than a title and a subtitle before the date line', () =>
    fails('Titel\nUntertitel\nNoch etwas\nMeldungsdatum: 01.01.2025\nKassel. Text.\n', 3, /^Only a title and a subtitle/));
});
