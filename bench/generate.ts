// Benchmark data: a migrated database in a data folder with N press offices (with contacts), topics,
// regions and M releases of realistic length (German-ish text, 150–600 words, headings, lists, some
// subtitles and photos), spread over about three years, mostly published, some drafts, scheduled,
// withdrawn and corrected ones.
//
// Rows are written with prepared statements in batched transactions, not one service call per
// release (10,000 releases take seconds, not minutes), but they are the rows the releases service
// would write: body_html from renderMarkdown, summary from the subtitle or summarise(), the contact
// block copied as JSON, slugs from slugify, revisions for corrections, and a content-version bump.
//
//   node bench/generate.ts --dir bench/.data/demo --offices 40 --releases 10000 [--seed 1] [--force]
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { parseArgs } from 'node:util';
import sharp from 'sharp';
import { databaseFile, openDatabase } from '../src/db/connect.ts';
import { migrateToLatest } from '../src/db/migrate.ts';
import { htmlToText, renderMarkdown, summarise } from '../src/content/markdown.ts';
import { slugify } from '../src/lib/slug.ts';
import { renderDemoImage, type DemoImageSpec } from '../src/demo/demo-images.ts';
import type { ContactBlock, ReleaseStatus } from '../src/modules/releases/release.ts';
import { mulberry32 } from '../src/lib/random.ts';

export interface GenerateOptions {
  /** The data folder; the database goes to `<dir>/herold.sqlite`, pictures to `<dir>/media/bench/`. */
  dir: string;
  offices: number;
  releases: number;
  /** Same seed, same data. */
  seed?: number;
  /** "Now" for release dates and publication times. */
  now?: Date;
  /** Replace an existing database in `dir`. */
  force?: boolean;
}

export interface GenerateResult {
  file: string;
  offices: number;
  contacts: number;
  releases: number;
  byStatus: Record<ReleaseStatus | 'corrected', number>;
  photos: number;
  ms: number;
}

const DAY = 24 * 60 * 60 * 1000;
const SPAN_DAYS = 3 * 365;
const BATCH = 500;

// --- randomness -------------------------------------------------------------------------------

interface Rand {
  (): number;
  int(min: number, max: number): number;
  pick<T>(items: readonly T[]): T;
  chance(p: number): boolean;
  some<T>(items: readonly T[], min: number, max: number): T[];
}

const makeRand = (seed: number): Rand => {
  const state = (seed ^ 0x9e3779b9) >>> 0;
  const next = mulberry32(state);
  const rand = next as Rand;
  rand.int = (min, max) => Math.floor(min + (max - min + 1) * next());
  rand.pick = (items) => items[Math.floor(next() * items.length)]!;
  rand.chance = (p) => next() < p;
  rand.some = (items, min, max) => {
    const pool = [...items];
    const n = Math.min(pool.length, rand.int(min, max));
    const out: (typeof items)[number][] = [];
    for (let i = 0; i < n; i++) out.push(pool.splice(Math.floor(next() * pool.length), 1)[0]!);
    return out;
  };
  return rand;
};

// --- vocabulary -------------------------------------------------------------------------------

const TOWNS = [
  'Bergheim', 'Talhausen', 'Lindenau', 'Rotenfels', 'Kirchberg', 'Eichstadt', 'Wiesental', 'Neumark', 'Steinbach', 'Mühlhofen',
  'Hainburg', 'Birkenfeld', 'Ostheim', 'Sonnenberg', 'Waldau', 'Altdorf', 'Seeburg', 'Falkenrode', 'Grünwald', 'Auenstein',
  'Hohenau', 'Brückenau', 'Schönfeld', 'Tannroda', 'Weißenbach', 'Marienthal', 'Rosental', 'Buchholz', 'Lauterbach', 'Fichtenau',
];
const OFFICE_KINDS = [
  ['Landratsamt', 'Landkreis'], ['Stadtverwaltung', 'Stadt'], ['Polizeipräsidium', 'Polizei'], ['Stadtwerke', 'Stadtwerke'],
  ['Hochschule', 'Hochschule'], ['Klinikum', 'Klinikum'], ['Feuerwehr', 'Feuerwehr'], ['Handwerkskammer', 'Kammer'],
  ['Verkehrsverbund', 'Verbund'], ['Naturpark', 'Naturpark'],
] as const;
const TOPICS = [
  'Verkehr', 'Bildung', 'Gesundheit', 'Umwelt', 'Soziales', 'Wirtschaft', 'Kultur', 'Sicherheit', 'Bauen und Wohnen', 'Digitales',
  'Energie', 'Sport', 'Tourismus', 'Verwaltung', 'Wissenschaft',
];
const REGIONS = [
  'Nordkreis', 'Südkreis', 'Ostkreis', 'Westkreis', 'Innenstadt', 'Talaue', 'Hochland', 'Seenplatte', 'Vorland', 'Bergland',
  'Mittelgebirge', 'Flussniederung', 'Randgemeinden', 'Kernstadt', 'Umland', 'Grenzregion',
];
const FIRST = ['Anna', 'Jonas', 'Lea', 'Felix', 'Marie', 'Paul', 'Sophie', 'Lukas', 'Hannah', 'Tim', 'Katrin', 'Stefan', 'Julia', 'Markus', 'Sabine', 'Thomas'];
const LAST = ['Müller', 'Schmidt', 'Schneider', 'Fischer', 'Weber', 'Meyer', 'Wagner', 'Becker', 'Hoffmann', 'Schäfer', 'Koch', 'Richter', 'Klein', 'Wolf', 'Neumann', 'Braun'];
const ROLES = ['Pressesprecherin', 'Pressesprecher', 'Referentin Öffentlichkeitsarbeit', 'Leiter Kommunikation', 'Pressereferentin'];
const STREETS = ['Marktplatz', 'Bahnhofstraße', 'Schlossallee', 'Rathausgasse', 'Am Stadtpark', 'Lindenstraße', 'Hauptstraße'];

const SUBJECTS = [
  'Der Landkreis', 'Die Stadt', 'Das Ordnungsamt', 'Die Kreisverwaltung', 'Der Bürgermeister', 'Die Landrätin', 'Das Gesundheitsamt',
  'Die Feuerwehr', 'Der Betriebshof', 'Das Jugendamt', 'Die Volkshochschule', 'Der Zweckverband', 'Die Wirtschaftsförderung',
  'Das Bauamt', 'Die Polizei', 'Der Kreistag', 'Die Stadtbibliothek', 'Das Umweltamt',
];
const VERBS = [
  'startet', 'erweitert', 'fördert', 'plant', 'eröffnet', 'saniert', 'unterstützt', 'prüft', 'stellt vor', 'modernisiert',
  'beschließt', 'verlängert', 'informiert über', 'lädt ein zu', 'investiert in', 'bündelt',
];
const OBJECTS = [
  'das Radwegenetz', 'die Sanierung der Grundschule', 'ein neues Förderprogramm', 'den Ausbau der Ladeinfrastruktur',
  'die Sprechzeiten im Bürgerbüro', 'den Hochwasserschutz', 'eine Beratungsstelle für Familien', 'die Digitalisierung der Verwaltung',
  'den öffentlichen Nahverkehr', 'die Ausbildungsmesse', 'das Sommerferienprogramm', 'die Pflege der Grünanlagen',
  'die Kita-Plätze im Ortsteil', 'den Breitbandausbau', 'eine Bürgerversammlung', 'das neue Gewerbegebiet',
  'die Brandschutzübung', 'den Wochenmarkt', 'die Straßenbeleuchtung', 'den Klimaschutzplan',
];
const ADVERBIALS = [
  'ab dem kommenden Montag', 'in den nächsten Wochen', 'bis zum Jahresende', 'im Rahmen des Haushalts', 'gemeinsam mit den Gemeinden',
  'nach einer ausführlichen Prüfung', 'auf Beschluss des Kreistages', 'in enger Abstimmung mit den Anwohnern', 'erstmals in diesem Jahr',
  'trotz der angespannten Haushaltslage', 'mit Unterstützung des Landes', 'im gesamten Kreisgebiet', 'zunächst für zwei Jahre',
];
const CLAUSES = [
  'Die Kosten belaufen sich auf rund {n} Euro.', 'Insgesamt profitieren etwa {n} Haushalte davon.',
  'Anmeldungen sind bis zum {d} möglich.', 'Die Arbeiten dauern voraussichtlich {k} Wochen.',
  'Rund {n} Menschen haben sich bereits beteiligt.', 'Der Zuschuss des Landes beträgt {k}0 Prozent.',
  'Weitere Informationen gibt es im Bürgerbüro und online.', 'Während der Bauzeit kommt es zu Einschränkungen im Verkehr.',
  'Die Ergebnisse werden im Herbst öffentlich vorgestellt.', 'Fragen beantwortet das Team telefonisch und per E-Mail.',
];
const QUOTES = [
  '„Wir freuen uns, dass wir dieses Vorhaben nun umsetzen können“, sagt {p}.',
  '„Das ist ein wichtiger Schritt für die gesamte Region“, betont {p}.',
  '„Gemeinsam haben wir hier viel erreicht“, so {p}.',
  '„Die Rückmeldungen aus der Bevölkerung waren eindeutig“, erklärt {p}.',
];
const HEADINGS = ['Hintergrund', 'Zeitplan', 'Kosten und Förderung', 'So geht es weiter', 'Termine', 'Beteiligung', 'Zahlen und Fakten', 'Hinweise für Anwohner'];
const LIST_ITEMS = [
  'Anmeldung im Bürgerbüro', 'Sprechstunde jeden Dienstag', 'Unterlagen online abrufbar', 'barrierefreier Zugang', 'kostenfreie Teilnahme',
  'Parkplätze am Rathaus', 'Anreise mit Bus und Bahn', 'Ansprechpartner vor Ort', 'Informationsabend im Gemeindesaal', 'Rückfragen per E-Mail',
];
const CAPTIONS = ['Blick auf die Baustelle', 'Die Beteiligten bei der Vorstellung', 'Das neue Gebäude von außen', 'Übersichtskarte des Vorhabens'];
const NOTES_CORRECTION = ['Datum der Veranstaltung korrigiert.', 'Name der Ansprechpartnerin berichtigt.', 'Zahl der Teilnehmenden aktualisiert.'];
const NOTES_WITHDRAWAL = ['Die Veranstaltung ist abgesagt.', 'Die Mitteilung wurde irrtümlich veröffentlicht.', 'Die Angaben sind überholt.'];

// --- text --------------------------------------------------------------------------------------

const wordCount = (text: string) => text.split(/\s+/).filter(Boolean).length;

const sentence = (r: Rand, person: string): string => {
  const kind = r();
  if (kind < 0.55) return `${r.pick(SUBJECTS)} ${r.pick(VERBS)} ${r.pick(ADVERBIALS)} ${r.pick(OBJECTS)}.`;
  if (kind < 0.85)
    return r
      .pick(CLAUSES)
      .replace('{n}', String(r.int(2, 950) * 100).replace(/\B(?=(\d{3})+$)/g, '.'))
      .replace('{k}', String(r.int(2, 9)))
      .replace('{d}', `${r.int(1, 28)}. ${r.pick(['März', 'April', 'Mai', 'Juni', 'September', 'Oktober'])}`);
  return r.pick(QUOTES).replace('{p}', person);
};

const paragraph = (r: Rand, person: string, sentences: number): string => Array.from({ length: sentences }, () => sentence(r, person)).join(' ');

/** A Markdown body of about `target` words: paragraphs, some `##` headings, sometimes a list. */
const body = (r: Rand, target: number, person: string): string => {
  const blocks: string[] = [paragraph(r, person, r.int(2, 4))];
  let words = wordCount(blocks[0]!);
  const headings = r.some(HEADINGS, 0, 3);
  let listDone = !r.chance(0.4);
  while (words < target) {
    if (headings.length > 0 && r.chance(0.35)) blocks.push(`## ${headings.pop()}`);
    else if (!listDone && r.chance(0.3)) {
      listDone = true;
      blocks.push(r.some(LIST_ITEMS, 3, 5).map((item) => `- ${item}`).join('\n'));
    } else {
      let p = paragraph(r, person, r.int(3, 6));
      if (r.chance(0.15)) p = p.replace(/^(\S+ \S+)/, '**$1**');
      if (r.chance(0.1)) p += ' Details stehen unter https://www.example.org/informationen bereit.';
      blocks.push(p);
    }
    words += wordCount(blocks.at(-1)!);
  }
  return blocks.join('\n\n');
};

const titleOf = (r: Rand): string => {
  const object = r.pick(OBJECTS);
  const subject = r.pick(SUBJECTS).replace(/^(Der|Die|Das) /, '');
  return `${subject} ${r.pick(VERBS)} ${object}`.replace(/^./, (c) => c.toUpperCase()).slice(0, 200);
};

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

// --- images ------------------------------------------------------------------------------------

interface ImageFile {
  path: string;
  width: number;
  height: number;
  bytes: number;
  mime: string;
}

const writeImages = async (mediaDir: string): Promise<{ photos: ImageFile[]; logos: ImageFile[] }> => {
  const dir = path.join(mediaDir, 'bench');
  await mkdir(dir, { recursive: true });
  const write = async (name: string, spec: DemoImageSpec, mime: string, w?: number, h?: number): Promise<ImageFile> => {
    const image = await renderDemoImage(spec, w, h);
    await writeFile(path.join(dir, name), image);
    const meta = await sharp(image).metadata();
    return { path: `bench/${name}`, width: meta.width ?? 0, height: meta.height ?? 0, bytes: image.length, mime };
  };
  const kinds: DemoImageSpec['kind'][] = ['landscape', 'building', 'people', 'event'];
  const photos = await Promise.all(kinds.map((kind, i) => write(`photo-${i + 1}.jpg`, { kind, hue: 40 + i * 70, seed: 100 + i, label: 'Herold' }, 'image/jpeg', 1200, 800)));
  const logos = await Promise.all(['LK', 'ST', 'PP'].map((label, i) => write(`logo-${i + 1}.png`, { kind: 'logo', hue: 200 + i * 50, seed: 7 + i, label }, 'image/png')));
  return { photos, logos };
};

// --- the generator -------------------------------------------------------------------------------

type StatusPlan = 'published' | 'draft' | 'scheduled' | 'withdrawn' | 'corrected';

const planStatus = (r: Rand): StatusPlan => {
  const x = r();
  if (x < 0.04) return 'draft';
  if (x < 0.06) return 'scheduled';
  if (x < 0.09) return 'withdrawn';
  if (x < 0.12) return 'corrected';
  return 'published';
};

export const generate = async (options: GenerateOptions): Promise<GenerateResult> => {
  const started = performance.now();
  const { offices: officeCount, releases: releaseCount } = options;
  if (!Number.isInteger(officeCount) || officeCount < 1) throw new Error('--offices must be a whole number ≥ 1');
  if (!Number.isInteger(releaseCount) || releaseCount < 0) throw new Error('--releases must be a whole number ≥ 0');
  const r = makeRand(options.seed ?? 1);
  const now = options.now ?? new Date();
  const nowMs = now.getTime();
  const nowIso = now.toISOString();
  const dir = path.resolve(options.dir);
  const file = databaseFile(dir);
  if (existsSync(file)) {
    if (!options.force) throw new Error(`${file} exists; pass --force to replace it`);
    await rm(dir, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });

  const { db, sqlite } = openDatabase(file);
  try {
    await migrateToLatest(db);
    const images = await writeImages(path.join(dir, 'media'));

    // Topics and regions.
    const insertTerm = (table: 'topics' | 'regions') => sqlite.prepare(`INSERT INTO ${table} (slug, name) VALUES (?, ?)`);
    const topicIds: number[] = [];
    const regionIds: number[] = [];
    sqlite.transaction(() => {
      const t = insertTerm('topics');
      for (const name of TOPICS) topicIds.push(Number(t.run(slugify(name), name).lastInsertRowid));
      const g = insertTerm('regions');
      for (const name of REGIONS) regionIds.push(Number(g.run(slugify(name), name).lastInsertRowid));
    })();

    // Offices with one to three contacts each; the first is the default contact.
    interface OfficeGen {
      id: number;
      town: string;
      notice: string;
      contacts: ContactBlock[];
    }
    const offices: OfficeGen[] = [];
    let contactCount = 0;
    const insertOffice = sqlite.prepare(
      `INSERT INTO offices (slug, name, description_markdown, description_html, website, logo_path, republication_notice, language, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, 'de', ?, ?)`,
    );
    const insertContact = sqlite.prepare(
      `INSERT INTO contacts (office_id, organisation, role, name, street, postcode, town, phone, fax, email, website, position)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const setDefaultContact = sqlite.prepare('UPDATE offices SET default_contact_id = ? WHERE id = ?');
    const createdAt = new Date(nowMs - (SPAN_DAYS + 30) * DAY).toISOString();
    sqlite.transaction(() => {
      const slugs = new Set<string>();
      for (let i = 0; i < officeCount; i++) {
        const [kind, short] = OFFICE_KINDS[i % OFFICE_KINDS.length]!;
        const town = TOWNS[Math.floor(i / OFFICE_KINDS.length) % TOWNS.length]!;
        const round = Math.floor(i / (OFFICE_KINDS.length * TOWNS.length));
        const name = `${kind} ${town}${round > 0 ? ` ${round + 1}` : ''}`;
        let slug = slugify(name);
        while (slugs.has(slug)) slug = `${slug}-${i}`;
        slugs.add(slug);
        const website = `https://www.${slugify(town)}.example`;
        const description = `${short === 'Polizei' ? 'Das' : 'Die'} ${name} informiert über **Vorhaben, Termine und Entscheidungen** in ${town}.\n\n${paragraph(r, 'die Pressestelle', 2)}`;
        const notice = r.pick(['Abdruck honorarfrei, Belegexemplar erbeten.', 'Veröffentlichung frei. Fotos nur im Zusammenhang mit dieser Mitteilung.', 'Abdruck frei.']);
        const logo = r.chance(0.6) ? r.pick(images.logos).path : null;
        const id = Number(insertOffice.run(slug, name, description, renderMarkdown(description), website, logo, notice, createdAt, createdAt).lastInsertRowid);
        const contacts: ContactBlock[] = [];
        const n = r.int(1, 3);
        for (let c = 0; c < n; c++) {
          const person = `${r.pick(FIRST)} ${r.pick(LAST)}`;
          const contact: ContactBlock = {
            organisation: name.toUpperCase(),
            role: r.pick(ROLES),
            name: person,
            street: `${r.pick(STREETS)} ${r.int(1, 40)}`,
            postcode: String(r.int(10000, 99999)),
            town,
            phone: `0${r.int(200, 999)}/${r.int(100, 999)}-${r.int(0, 99)}`,
            fax: r.chance(0.4) ? `0${r.int(200, 999)}/${r.int(100, 999)}-99` : '',
            email: `presse${c > 0 ? c + 1 : ''}@${slugify(town)}.example`,
            website,
          };
          const contactId = Number(
            insertContact.run(id, contact.organisation, contact.role, contact.name, contact.street, contact.postcode, contact.town, contact.phone, contact.fax, contact.email, contact.website, c).lastInsertRowid,
          );
          if (c === 0) setDefaultContact.run(contactId, id);
          contacts.push(contact);
          contactCount++;
        }
        offices.push({ id, town, notice, contacts });
      }
    })();

    // Releases, oldest first so ids grow with time. Some offices are busier than others.
    const weights = offices.map(() => 0.2 + r() * r() * 3);
    const weightSum = weights.reduce((a, b) => a + b, 0);
    const pickOffice = (): OfficeGen => {
      let x = r() * weightSum;
      for (let i = 0; i < offices.length; i++) if ((x -= weights[i]!) <= 0) return offices[i]!;
      return offices.at(-1)!;
    };
    const plans = Array.from({ length: releaseCount }, () => {
      const status = planStatus(r);
      const dayOffset = status === 'scheduled' ? -r.int(1, 21) : status === 'draft' ? r.int(0, 60) : r.int(0, SPAN_DAYS);
      return { status, at: nowMs - dayOffset * DAY - (nowMs % DAY) + r.int(6 * 60, 16 * 60) * 60_000 };
    }).sort((a, b) => a.at - b.at);

    const insertRelease = sqlite.prepare(
      `INSERT INTO releases (office_id, slug, title, subtitle, release_date, dateline, body_markdown, body_html, body_text, summary, contact_json,
         republication_notice, language, status, published_at, withdrawn_at, withdrawal_note, preview_token, created_at, updated_at, corrected_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'de', ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const insertTopic = sqlite.prepare('INSERT INTO release_topics (release_id, topic_id) VALUES (?, ?)');
    const insertRegion = sqlite.prepare('INSERT INTO release_regions (release_id, region_id) VALUES (?, ?)');
    const insertPhoto = sqlite.prepare(
      'INSERT INTO release_photos (release_id, path, alt, caption, credit, position, width, height, mime, bytes) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)',
    );
    const insertRevision = sqlite.prepare(
      'INSERT INTO release_revisions (release_id, title, subtitle, dateline, body_markdown, body_html, note, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );

    const byStatus: GenerateResult['byStatus'] = { draft: 0, scheduled: 0, published: 0, withdrawn: 0, corrected: 0 };
    let photoCount = 0;
    const writeBatch = sqlite.transaction((batch: typeof plans) => {
      for (const plan of batch) {
        const office = pickOffice();
        const contact = r.pick(office.contacts);
        const title = titleOf(r);
        const subtitle = r.chance(0.3) ? `${r.pick(ADVERBIALS).replace(/^./, (c) => c.toUpperCase())}: ${r.pick(OBJECTS)} im Überblick` : '';
        const bodyMarkdown = body(r, r.int(150, 600), `${contact.role} ${contact.name}`);
        const bodyHtml = renderMarkdown(bodyMarkdown);
        const summary = subtitle || summarise(bodyMarkdown);
        const at = new Date(Math.min(plan.at, plan.status === 'scheduled' ? Infinity : nowMs - 60_000));
        const atIso = at.toISOString();
        const created = new Date(at.getTime() - r.int(1, 72) * 60 * 60_000).toISOString();
        const status: ReleaseStatus = plan.status === 'corrected' ? 'published' : plan.status;
        const correctedAt = plan.status === 'corrected' ? new Date(Math.min(at.getTime() + r.int(1, 48) * 60 * 60_000, nowMs - 30_000)).toISOString() : null;
        const withdrawnAt = plan.status === 'withdrawn' ? new Date(Math.min(at.getTime() + r.int(1, 240) * 60 * 60_000, nowMs - 30_000)).toISOString() : null;
        const updated = correctedAt ?? withdrawnAt ?? (status === 'draft' ? created : atIso);
        const id = Number(
          insertRelease.run(
            office.id,
            slugify(title),
            title,
            subtitle,
            isoDate(at),
            office.town,
            bodyMarkdown,
            bodyHtml,
            htmlToText(bodyHtml),
            summary,
            JSON.stringify(contact),
            office.notice,
            status,
            status === 'draft' ? null : atIso,
            withdrawnAt,
            withdrawnAt ? r.pick(NOTES_WITHDRAWAL) : '',
            randomBytes(18).toString('base64url'),
            created,
            updated,
            correctedAt,
          ).lastInsertRowid,
        );
        for (const topic of r.some(topicIds, 0, 3)) insertTopic.run(id, topic);
        for (const region of r.some(regionIds, 0, 2)) insertRegion.run(id, region);
        if (r.chance(0.35)) {
          const n = r.chance(0.3) ? 2 : 1;
          for (let p = 0; p < n; p++) {
            const image = r.pick(images.photos);
            const caption = r.pick(CAPTIONS);
            insertPhoto.run(id, image.path, caption, `${caption} in ${office.town}.`, r.pick(['Foto: Pressestelle', 'Archiv', `${contact.name}`]), p, image.width, image.height, image.mime, image.bytes);
            photoCount++;
          }
        }
        if (correctedAt) {
          // The text as it stood before the correction goes to the history, as the service does it.
          const before = bodyMarkdown.replace(/\d+/, (n) => String(Number(n) + 1));
          insertRevision.run(id, title, subtitle, office.town, before, renderMarkdown(before), r.pick(NOTES_CORRECTION), correctedAt);
        }
        byStatus[plan.status]++;
      }
    });
    for (let i = 0; i < plans.length; i += BATCH) writeBatch(plans.slice(i, i + BATCH));

    sqlite.prepare('UPDATE site_state SET content_version = content_version + 1, changed_at = ? WHERE id = 1').run(nowIso);
    sqlite.pragma('optimize');
    sqlite.pragma('wal_checkpoint(TRUNCATE)');
    return { file, offices: officeCount, contacts: contactCount, releases: releaseCount, byStatus, photos: photoCount, ms: Math.round(performance.now() - started) };
  } finally {
    await db.destroy();
  }
};

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === import.meta.filename;

if (isMain) {
  const { values } = parseArgs({
    options: {
      dir: { type: 'string' },
      offices: { type: 'string', default: '40' },
      releases: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      force: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help || !values.dir) {
    console.error('Usage: node bench/generate.ts --dir DATA_DIR [--offices 40] [--releases 10000] [--seed 1] [--force]');
    process.exit(values.help ? 0 : 2);
  }
  try {
    const result = await generate({ dir: values.dir, offices: Number(values.offices), releases: Number(values.releases), seed: Number(values.seed), force: values.force });
    console.log(`${result.file}: ${result.offices} offices, ${result.contacts} contacts, ${result.releases} releases ${JSON.stringify(result.byStatus)}, ${result.photos} photos in ${(result.ms / 1000).toFixed(1)} s`);
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
