// The demo content a newcomer sees on first start: three invented press offices of an invented
// district (Landkreis Beispiel, Kreisstadt Musterstadt) and fifteen releases written for them.
// Every person, place, address, phone number and domain here is fictitious; the domains use the
// reserved `.example` top-level domain. Pictures are described by specs and drawn by demo-images.ts.
//
// Dates are relative (`daysAgo`), so the demo always looks fresh. For the same reason the texts
// avoid calendar dates, years and seasons and speak of weekdays ("am kommenden Samstag") instead.
import type { ContactBlock } from '../modules/releases/release.ts';
import type { DemoImageSpec } from './demo-images.ts';

export interface DemoPhoto {
  image: DemoImageSpec;
  alt: string;
  caption: string;
  credit: string;
}

export interface DemoOffice {
  slug: string;
  name: string;
  /** Markdown, 1–3 short paragraphs. */
  description: string;
  website: string;
  language: 'de';
  republicationNotice: string;
  /** The first is the office's default contact. */
  contacts: ContactBlock[];
  logo: DemoImageSpec;
}

export interface DemoRelease {
  /** Slug of the office. */
  office: string;
  /** Release date relative to today (today minus daysAgo); negative = in the future (scheduled). */
  daysAgo: number;
  status: 'published' | 'scheduled' | 'draft' | 'withdrawn';
  title: string;
  subtitle: string;
  dateline: string;
  bodyMarkdown: string;
  /** Topic slugs. */
  topics: string[];
  /** Region slugs. */
  regions: string[];
  photos: DemoPhoto[];
  /** Index into the office's contacts; the first contact when absent. */
  contactIndex?: number;
  /**
   * A correction made after publication. `bodyMarkdown` above is the text as first published;
   * this is the corrected text the release should show now, with `note` as its correction note.
   */
  correction?: { note: string; bodyMarkdown: string };
  withdrawalNote?: string;
}

export const demoTopics: { slug: string; name: string }[] = [
  { slug: 'soziales', name: 'Soziales' },
  { slug: 'bildung', name: 'Bildung' },
  { slug: 'verkehr', name: 'Verkehr' },
  { slug: 'umwelt', name: 'Umwelt' },
  { slug: 'gesundheit', name: 'Gesundheit' },
  { slug: 'wirtschaft', name: 'Wirtschaft' },
  { slug: 'kultur', name: 'Kultur' },
  { slug: 'sicherheit', name: 'Sicherheit' },
  { slug: 'wissenschaft', name: 'Wissenschaft' },
  { slug: 'buergerservice', name: 'Bürgerservice' },
];

export const demoRegions: { slug: string; name: string }[] = [
  { slug: 'landkreis-beispiel', name: 'Landkreis Beispiel' },
  { slug: 'musterstadt', name: 'Musterstadt' },
  { slug: 'lindenhain', name: 'Lindenhain' },
  { slug: 'oberbachtal', name: 'Oberbachtal' },
  { slug: 'bad-roedingen', name: 'Bad Rödingen' },
];

// ---------------------------------------------------------------------------------------------
// Offices

const LK_WEB = 'https://www.landkreis-beispiel.example';
const SW_WEB = 'https://www.stadtwerke-musterstadt.example';
const HS_WEB = 'https://www.hs-oberbachtal.example';

export const demoOffices: DemoOffice[] = [
  {
    slug: 'landkreis-beispiel',
    name: 'Landkreis Beispiel',
    description: [
      'Der Landkreis Beispiel umfasst 14 Städte und Gemeinden mit rund 168.000 Einwohnerinnen und Einwohnern. Kreisstadt und Sitz der Verwaltung ist Musterstadt.',
      'Die Pressestelle informiert über Beschlüsse des Kreistags, Angebote der Kreisverwaltung und Termine der Landrätin – vom Bürgerservice über Schulen und Kreisstraßen bis zum Katastrophenschutz.',
    ].join('\n\n'),
    website: LK_WEB,
    language: 'de',
    republicationNotice:
      'Alle Texte und Fotos dieser Pressestelle dürfen unter Nennung der Quelle kostenfrei veröffentlicht werden. Über ein Belegexemplar oder einen Link freuen wir uns.',
    contacts: [
      {
        organisation: 'LANDKREIS BEISPIEL',
        role: 'Pressesprecherin',
        name: 'Carla Wendeborn',
        street: 'Kreishausplatz 1',
        postcode: '12345',
        town: 'Musterstadt',
        phone: '01234/5678-1200',
        fax: '01234/5678-1209',
        email: 'presse@landkreis-beispiel.example',
        website: LK_WEB,
      },
      {
        organisation: 'LANDKREIS BEISPIEL',
        role: 'Stellvertretender Pressesprecher',
        name: 'Jonas Eckhoff',
        street: 'Kreishausplatz 1',
        postcode: '12345',
        town: 'Musterstadt',
        phone: '01234/5678-1201',
        fax: '01234/5678-1209',
        email: 'jonas.eckhoff@landkreis-beispiel.example',
        website: LK_WEB,
      },
    ],
    logo: { kind: 'logo', hue: 212, seed: 101, label: 'LB' },
  },
  {
    slug: 'stadtwerke-musterstadt',
    name: 'Stadtwerke Musterstadt',
    description: [
      'Die Stadtwerke Musterstadt GmbH versorgt rund 52.000 Haushalte und Betriebe mit Strom, Erdgas, Fernwärme und Trinkwasser. Zum Unternehmen gehören außerdem der Stadtbusverkehr mit elf Linien und das Stadtbad.',
      'Alleinige Gesellschafterin ist die Stadt Musterstadt. Die Stadtwerke beschäftigen rund 480 Mitarbeiterinnen und Mitarbeiter, darunter 36 Auszubildende.',
    ].join('\n\n'),
    website: SW_WEB,
    language: 'de',
    republicationNotice:
      'Abdruck und Online-Veröffentlichung sind honorarfrei, wenn die Stadtwerke Musterstadt als Quelle genannt werden. Wir bitten um ein Belegexemplar.',
    contacts: [
      {
        organisation: 'STADTWERKE MUSTERSTADT GMBH',
        role: 'Leiter Unternehmenskommunikation',
        name: 'Malte Hinrichsen',
        street: 'Am Wasserturm 7',
        postcode: '12347',
        town: 'Musterstadt',
        phone: '01234/9876-300',
        fax: '',
        email: 'presse@stadtwerke-musterstadt.example',
        website: SW_WEB,
      },
    ],
    logo: { kind: 'logo', hue: 168, seed: 202, label: 'SWM' },
  },
  {
    slug: 'hochschule-oberbachtal',
    name: 'Hochschule Oberbachtal',
    description: [
      'Die Hochschule Oberbachtal ist eine Hochschule für angewandte Wissenschaften mit rund 6.200 Studierenden in vier Fachbereichen: Technik, Agrar- und Lebensmittelwissenschaften, Wirtschaft sowie Pflege und Gesundheit.',
      'Die Hochschulkommunikation berichtet über neue Studienangebote, Forschungsergebnisse und Veranstaltungen auf dem Campus. Interviews mit unseren Expertinnen und Experten vermitteln wir gern.',
    ].join('\n\n'),
    website: HS_WEB,
    language: 'de',
    republicationNotice:
      'Diese Mitteilung und die beigefügten Bilder können mit Quellenangabe frei verwendet werden. Belegexemplare oder Links an die Pressestelle sind willkommen.',
    contacts: [
      {
        organisation: 'HOCHSCHULE OBERBACHTAL',
        role: 'Leiterin Hochschulkommunikation',
        name: 'Dr. Anja Rosenthal',
        street: 'Campusallee 3',
        postcode: '12360',
        town: 'Oberbachtal',
        phone: '01235/440-2100',
        fax: '01235/440-2109',
        email: 'presse@hs-oberbachtal.example',
        website: HS_WEB,
      },
      {
        organisation: 'HOCHSCHULE OBERBACHTAL',
        role: 'Referent für Wissenschaftskommunikation',
        name: 'Lukas Brandtner',
        street: 'Campusallee 3',
        postcode: '12360',
        town: 'Oberbachtal',
        phone: '01235/440-2104',
        fax: '01235/440-2109',
        email: 'lukas.brandtner@hs-oberbachtal.example',
        website: HS_WEB,
      },
    ],
    logo: { kind: 'logo', hue: 352, seed: 303, label: 'HO' },
  },
];

// ---------------------------------------------------------------------------------------------
// Releases

const md = (...blocks: string[]): string => blocks.join('\n\n');

/** The concert release was published with the wrong start time and corrected later. */
const concertBody = (start: string, doors: string): string =>
  md(
    `Am kommenden Samstag gibt die Kreismusikschule Beispiel ihr Jahreskonzert in der Stadthalle Musterstadt. Beginn ist um ${start}, Einlass ab ${doors}. Auf der Bühne stehen rund 120 Schülerinnen und Schüler aller Altersstufen – vom Blockflötenensemble der Grundschulkinder bis zum Jugendsinfonieorchester.`,
    'Das Programm spannt einen weiten Bogen: Neben Werken von Haydn und Mendelssohn Bartholdy erklingen Filmmusik, Jazzstandards und eine eigens für die Musikschule geschriebene Komposition. Das Stück „Kreisläufe“ von Musikschullehrer Jakob Wiesner verbindet Orchester, Schlagwerk und Chor und wird an diesem Abend uraufgeführt.',
    '„Das Jahreskonzert ist für unsere Schülerinnen und Schüler der Höhepunkt des Unterrichtsjahres“, sagt Schulleiterin Petra Kallweit. „Viele haben monatelang auf diesen Auftritt hingearbeitet – und sie freuen sich über jedes Publikum.“',
    '## Eintritt frei, Spenden willkommen',
    'Der Eintritt ist frei. Um Spenden für den Instrumentenfonds der Musikschule wird gebeten; aus ihm erhalten Kinder aus Familien mit geringem Einkommen Leihinstrumente und ermäßigten Unterricht. Die Stadthalle ist barrierefrei zugänglich, für Besucherinnen und Besucher mit Hörgeräten steht eine induktive Höranlage bereit.',
    '## Hintergrund',
    'Die Kreismusikschule Beispiel unterrichtet rund 1.400 Kinder, Jugendliche und Erwachsene an zwölf Standorten im Landkreis. Träger ist der Landkreis; die Städte und Gemeinden beteiligen sich an den Kosten. Anmeldungen für den Unterricht sind jederzeit möglich unter [www.landkreis-beispiel.example/musikschule](https://www.landkreis-beispiel.example/musikschule).',
  );

export const demoReleases: DemoRelease[] = [
  // ----- Landkreis Beispiel ------------------------------------------------------------------
  {
    office: 'landkreis-beispiel',
    daysAgo: 3,
    status: 'published',
    title: 'Neue Ehrenamtsbörse bringt Vereine und Freiwillige zusammen',
    subtitle: 'Online-Plattform des Landkreises startet mit mehr als 60 Angeboten aus allen Städten und Gemeinden',
    dateline: 'Landkreis Beispiel',
    bodyMarkdown: md(
      'Wer sich in seiner Freizeit engagieren möchte, findet passende Angebote im Landkreis Beispiel ab sofort an einem Ort: Die neue Ehrenamtsbörse des Landkreises ist online. Zum Start haben Vereine, Initiativen und soziale Einrichtungen aus allen 14 Städten und Gemeinden mehr als 60 Angebote eingestellt – von der Hausaufgabenhilfe über den Besuchsdienst im Seniorenheim bis zur Mitarbeit bei der Tafel.',
      '„Viele Menschen möchten helfen, wissen aber nicht, wo sie anfangen sollen. Umgekehrt suchen zahlreiche Vereine dringend Unterstützung“, sagt Landrätin Friederike Hallstein. „Die Ehrenamtsbörse bringt beide Seiten unkompliziert zusammen.“',
      'Interessierte können in der Börse nach Ort, Themenfeld und zeitlichem Umfang suchen. Viele Angebote eignen sich auch für Menschen, die nur gelegentlich Zeit haben, etwa für einzelne Veranstaltungen oder Aktionstage. Ein kurzes Kontaktformular leitet die Anfrage direkt an die jeweilige Organisation weiter; eine Registrierung ist dafür **nicht** nötig.',
      '## So können Vereine mitmachen',
      'Vereine und Initiativen, die ihre Angebote eintragen möchten, melden sich einmalig bei der Ehrenamtskoordination des Landkreises an. Danach können sie ihre Gesuche selbst anlegen und aktuell halten. Die Koordinierungsstelle bietet außerdem:',
      [
        '- kostenlose Fortbildungen für Ehrenamtliche, etwa zu Erster Hilfe und Datenschutz im Verein,',
        '- eine Sprechstunde für Vereinsvorstände an jedem ersten Dienstag im Monat,',
        '- Unterstützung bei Anträgen an den Ehrenamtsfonds des Landkreises.',
      ].join('\n'),
      'Die Ehrenamtsbörse ist unter [www.landkreis-beispiel.example/ehrenamt](https://www.landkreis-beispiel.example/ehrenamt) erreichbar. Wer sich lieber persönlich beraten lässt, erreicht die Ehrenamtskoordination im Kreishaus in Musterstadt telefonisch unter 01234/5678-1450.',
    ),
    topics: ['soziales'],
    regions: ['landkreis-beispiel'],
    photos: [
      {
        image: { kind: 'people', hue: 28, seed: 13 },
        alt: 'Fünf Frauen und Männer stehen nebeneinander hinter einem Tisch mit bunten Faltblättern, hinter ihnen eine helle Fensterfront.',
        caption:
          'Stellten die neue Ehrenamtsbörse im Kreishaus vor: Landrätin Friederike Hallstein (Mitte) mit Mitarbeitenden der Ehrenamtskoordination und Vertreterinnen und Vertretern örtlicher Vereine.',
        credit: 'Foto: Landkreis Beispiel',
      },
    ],
  },
  {
    office: 'landkreis-beispiel',
    daysAgo: 4,
    status: 'published',
    title: 'Probealarm: Sirenen im ganzen Landkreis heulen am Donnerstag',
    subtitle: 'Landkreis testet seine Warnsysteme – auch Warn-App und Cell Broadcast werden ausgelöst',
    dateline: 'Landkreis Beispiel',
    bodyMarkdown: md(
      'Am kommenden Donnerstag um 11 Uhr testet der Landkreis Beispiel gemeinsam mit den Städten und Gemeinden seine Warnsysteme. Kreisweit werden dann rund 140 Sirenen ausgelöst. Gleichzeitig verschickt die Leitstelle eine Probewarnung über die Warn-Apps und als Cell-Broadcast-Nachricht an Mobiltelefone. Eine Gefahr besteht nicht.',
      'Der Ablauf ist festgelegt: Zunächst ertönt eine Minute lang ein auf- und abschwellender Heulton, das Signal **„Warnung“**. Nach einer Pause von etwa fünf Minuten folgt ein einminütiger Dauerton, der **„Entwarnung“** bedeutet. Wer die Signale kennt, kann im Ernstfall richtig reagieren: Radio oder Warn-App einschalten, Fenster und Türen schließen und auf Durchsagen achten.',
      '## Rückmeldungen ausdrücklich erwünscht',
      'Der Probealarm dient auch dazu, Lücken im Sirenennetz zu finden. Der Landkreis bittet deshalb alle Bürgerinnen und Bürger um Rückmeldung, ob und wie deutlich sie die Sirene an ihrem Wohnort oder Arbeitsplatz gehört haben. Ein kurzer Fragebogen ist ab Donnerstag, 11 Uhr, eine Woche lang unter [www.landkreis-beispiel.example/probealarm](https://www.landkreis-beispiel.example/probealarm) freigeschaltet.',
      '„Die Auswertung des letzten Probealarms hat uns geholfen, zwölf zusätzliche Sirenenstandorte zu planen, vor allem in den Ortsteilen am Rand des Kreises“, sagt Kreisbrandmeister Thorsten Walbrecht. „Jede Rückmeldung zählt.“',
      '## Hinweis für Menschen mit Hörbehinderung',
      'Wer Sirenensignale nicht oder nur schwer wahrnehmen kann, sollte eine Warn-App installieren und Benachrichtigungen für den eigenen Standort aktivieren. Angehörige und Nachbarn werden gebeten, am Donnerstag auf Betroffene zu achten und sie über den Probealarm zu informieren.',
    ),
    topics: ['sicherheit'],
    regions: ['landkreis-beispiel'],
    photos: [],
  },
  {
    office: 'landkreis-beispiel',
    daysAgo: 9,
    status: 'published',
    title: 'Kreismusikschule lädt zum Jahreskonzert in die Stadthalle Musterstadt',
    subtitle: 'Rund 120 Schülerinnen und Schüler zeigen ihr Können – mit einer Uraufführung und freiem Eintritt',
    dateline: 'Musterstadt',
    bodyMarkdown: concertBody('19 Uhr', '18.30 Uhr'),
    correction: {
      note: 'Korrigiert: Das Konzert beginnt um 18 Uhr, nicht um 19 Uhr. Einlass ist ab 17.30 Uhr.',
      bodyMarkdown: concertBody('18 Uhr', '17.30 Uhr'),
    },
    topics: ['kultur', 'bildung'],
    regions: ['musterstadt'],
    photos: [
      {
        image: { kind: 'event', hue: 268, seed: 11, label: 'Jahreskonzert' },
        alt: 'Eine Gruppe junger Musikerinnen und Musiker steht auf einer von Scheinwerfern beleuchteten Bühne, im Vordergrund die Silhouetten des Publikums.',
        caption: 'Auftritt beim Jahreskonzert der Kreismusikschule im vergangenen Jahr.',
        credit: 'Foto: Kreismusikschule Beispiel',
      },
      {
        image: { kind: 'building', hue: 40, seed: 5, label: 'Stadthalle' },
        alt: 'Die Stadthalle Musterstadt, ein heller Bau mit großen Fenstern und gläsernem Eingang, davor Rasen und Bäume.',
        caption: 'Die Stadthalle Musterstadt ist barrierefrei zugänglich.',
        credit: 'Foto: Landkreis Beispiel',
      },
    ],
  },
  {
    office: 'landkreis-beispiel',
    daysAgo: 17,
    status: 'published',
    title: 'Kfz-Zulassungsstelle: Termine jetzt rund um die Uhr online buchbar',
    subtitle: 'Neues Buchungssystem soll Wartezeiten verkürzen – einige Anliegen ganz ohne Besuch im Kreishaus möglich',
    dateline: 'Landkreis Beispiel',
    bodyMarkdown: md(
      'Wer ein Fahrzeug anmelden, ummelden oder außer Betrieb setzen möchte, kann seinen Termin bei der Kfz-Zulassungsstelle des Landkreises Beispiel ab sofort online buchen. Das neue Buchungssystem ist rund um die Uhr erreichbar und zeigt freie Termine für die kommenden vier Wochen an – für die Zulassungsstelle im Kreishaus in Musterstadt ebenso wie für die Außenstelle in Lindenhain.',
      'Bislang wurden Termine überwiegend telefonisch vergeben. Vor allem montags und nach Feiertagen waren die Leitungen oft überlastet. „Mit der Online-Buchung entlasten wir das Telefon und können die Termine gleichmäßiger über die Woche verteilen“, erklärt Fachbereichsleiter Ralf Osterkamp. Wer keinen Internetzugang hat, kann weiterhin telefonisch einen Termin vereinbaren.',
      '## Was zum Termin mitzubringen ist',
      'Nach der Buchung erhalten Antragstellende eine Bestätigung per E-Mail mit einer Liste der benötigten Unterlagen. In den meisten Fällen sind das:',
      [
        '- Personalausweis oder Reisepass,',
        '- Zulassungsbescheinigung Teil I und Teil II,',
        '- die elektronische Versicherungsbestätigung (eVB-Nummer),',
        '- ein SEPA-Lastschriftmandat für die Kfz-Steuer.',
      ].join('\n'),
      'Wer für eine andere Person kommt, benötigt zusätzlich eine schriftliche Vollmacht und deren Ausweis.',
      '## Manches geht ganz ohne Besuch',
      'Einige Anliegen lassen sich bereits vollständig online erledigen, etwa die Außerbetriebsetzung oder die Wiederzulassung auf dieselbe Person. Voraussetzung sind ein Personalausweis mit aktivierter Online-Ausweisfunktion und die freigelegten Sicherheitscodes auf den Fahrzeugpapieren. Alle Informationen und die Terminbuchung finden sich unter [www.landkreis-beispiel.example/zulassung](https://www.landkreis-beispiel.example/zulassung).',
    ),
    topics: ['buergerservice', 'verkehr'],
    regions: ['landkreis-beispiel', 'musterstadt', 'lindenhain'],
    contactIndex: 1,
    photos: [
      {
        image: { kind: 'building', hue: 32, seed: 2, label: 'Kreishaus' },
        alt: 'Das dreigeschossige Kreishaus mit heller Putzfassade, Satteldach und gläserner Eingangstür, davor ein gepflasterter Weg und Bäume.',
        caption: 'Die Kfz-Zulassungsstelle befindet sich im Erdgeschoss des Kreishauses in Musterstadt.',
        credit: 'Foto: Landkreis Beispiel',
      },
    ],
  },
  {
    office: 'landkreis-beispiel',
    daysAgo: 24,
    status: 'withdrawn',
    title: 'Kreisstraße K 12 zwischen Lindenhain und Bad Rödingen wird voll gesperrt',
    subtitle: 'Fahrbahn wird auf drei Kilometern erneuert – Umleitung über Oberbachtal',
    dateline: 'Landkreis Beispiel',
    bodyMarkdown: md(
      'Die Kreisstraße K 12 zwischen Lindenhain und Bad Rödingen wird ab dem kommenden Montag für rund sechs Wochen voll gesperrt. Der Landkreis Beispiel lässt in dieser Zeit die Fahrbahn auf einer Länge von etwa drei Kilometern erneuern. Die Straße ist eine der meistbefahrenen Verbindungen im Süden des Kreises; nach der letzten Verkehrszählung nutzen sie täglich rund 4.800 Fahrzeuge.',
      'Der Asphalt der K 12 stammt in weiten Teilen aus den 1980er-Jahren. Risse, Spurrinnen und ausgebrochene Ränder haben zuletzt deutlich zugenommen. Neben der Fahrbahndecke werden deshalb auch die Bankette befestigt und zwei Durchlässe für den Mühlbach erneuert. Die Kosten von rund 1,9 Millionen Euro trägt der Landkreis; das Land beteiligt sich mit einem Zuschuss.',
      '## Umleitung und Busverkehr',
      'Die Umleitung für den Durchgangsverkehr führt über Oberbachtal und ist ausgeschildert. Anliegerinnen und Anlieger des Ortsteils Hasental erreichen ihre Grundstücke während der ersten beiden Bauabschnitte über eine provisorische Zufahrt. Die Buslinie 412 fährt eine Umleitung; die Haltestellen „Hasental Mitte“ und „Am Sägewerk“ entfallen und werden durch Ersatzhaltestellen an der Umleitungsstrecke ersetzt.',
      'Für Radfahrende bleibt der parallel verlaufende Wirtschaftsweg frei. Der Landkreis bittet alle Verkehrsteilnehmenden um Verständnis und um besondere Vorsicht im Baustellenbereich. Aktuelle Informationen zum Stand der Arbeiten stehen unter [www.landkreis-beispiel.example/baustellen](https://www.landkreis-beispiel.example/baustellen).',
    ),
    withdrawalNote:
      'Diese Mitteilung wurde zurückgezogen: Der Beginn der Bauarbeiten an der K 12 hat sich verschoben. Den neuen Termin gibt der Landkreis gesondert bekannt.',
    topics: ['verkehr'],
    regions: ['lindenhain', 'bad-roedingen'],
    photos: [
      {
        image: { kind: 'landscape', hue: 208, seed: 10 },
        alt: 'Eine Landstraße führt zwischen grünen Hügeln und Feldern hindurch, am Horizont liegen bewaldete Höhenzüge.',
        caption: 'Auf rund drei Kilometern erneuert der Landkreis die Fahrbahn der K 12 zwischen Lindenhain und Bad Rödingen.',
        credit: 'Foto: Landkreis Beispiel',
      },
    ],
  },
  {
    office: 'landkreis-beispiel',
    daysAgo: -2,
    status: 'scheduled',
    title: 'Kreistag berät neuen Schulentwicklungsplan',
    subtitle: 'Mehr Ganztagsplätze, ein Anbau für die Gesamtschule Lindenhain und ein gemeinsamer Standort für die Berufsschule',
    dateline: 'Landkreis Beispiel',
    bodyMarkdown: md(
      'Der Kreistag des Landkreises Beispiel berät in seiner Sitzung am Donnerstag über den Schulentwicklungsplan für die kommenden fünf Schuljahre. Der Entwurf der Kreisverwaltung sieht vor, die Gesamtschule Lindenhain zu erweitern, die Ganztagsangebote an den weiterführenden Schulen auszubauen und die Berufsschule an einem gemeinsamen Standort in Musterstadt zusammenzuführen.',
      'Grundlage des Plans sind die Prognosen zur Entwicklung der Schülerzahlen. Danach wird die Zahl der Schülerinnen und Schüler an den weiterführenden Schulen des Kreises in den kommenden Jahren um rund acht Prozent steigen, am stärksten im Norden des Kreises. Gleichzeitig wünschen sich immer mehr Familien eine verlässliche Betreuung am Nachmittag.',
      '## Die wichtigsten Vorhaben',
      [
        '- ein Anbau mit acht Klassenräumen und einer Mensa für die Gesamtschule Lindenhain,',
        '- zusätzliche Ganztagsplätze an den Realschulen in Bad Rödingen und Oberbachtal,',
        '- die Zusammenführung der beiden Berufsschulstandorte auf dem Gelände der früheren Kaserne in Musterstadt,',
        '- ein Sanierungsprogramm für die naturwissenschaftlichen Fachräume aller Kreisschulen.',
      ].join('\n'),
      'Schulen, Elternvertretungen und Gemeinden konnten vorab zu dem Entwurf Stellung nehmen. Insgesamt sind 37 Stellungnahmen eingegangen; einige Anregungen, etwa zur Schülerbeförderung, hat die Verwaltung bereits in den Entwurf eingearbeitet.',
      'Die Sitzung des Kreistags beginnt um 15 Uhr im großen Sitzungssaal des Kreishauses und ist öffentlich. Der vollständige Entwurf steht unter [www.landkreis-beispiel.example/schulentwicklung](https://www.landkreis-beispiel.example/schulentwicklung) zum Download bereit.',
    ),
    topics: ['bildung'],
    regions: ['landkreis-beispiel', 'lindenhain'],
    photos: [],
  },

  // ----- Stadtwerke Musterstadt --------------------------------------------------------------
  {
    office: 'stadtwerke-musterstadt',
    daysAgo: 6,
    status: 'published',
    title: 'Stadtwerke nehmen Solaranlage auf dem Busdepot in Betrieb',
    subtitle: 'Rund 4.200 Module erzeugen Strom für etwa 650 Haushalte – ein Teil davon lädt die Elektrobusse',
    dateline: 'Musterstadt',
    bodyMarkdown: md(
      'Die Stadtwerke Musterstadt haben die bislang größte Photovoltaikanlage im Stadtgebiet in Betrieb genommen. Auf dem Dach der Wagenhalle ihres Busdepots an der Hafenstraße sind rund 4.200 Solarmodule mit einer Gesamtleistung von 1,8 Megawatt installiert. Die Anlage soll jährlich etwa 1.700 Megawattstunden Strom erzeugen – rechnerisch genug für rund 650 Haushalte.',
      'Ein Teil des Stroms wird direkt vor Ort genutzt: In der Wagenhalle laden die inzwischen 22 Elektrobusse der Stadtwerke über Nacht und in den Pausen zwischen den Fahrten. Überschüsse fließen ins Netz. „Wir fahren unsere Busse damit zu einem guten Teil mit Sonnenstrom vom eigenen Dach“, sagt Geschäftsführerin Dr. Ines Markwardt. „Das senkt die Kosten und den CO₂-Ausstoß zugleich.“',
      '## Die Anlage in Zahlen',
      [
        '- Modulfläche: rund 8.300 Quadratmeter',
        '- Leistung: 1,8 Megawatt',
        '- erwartete Erzeugung: etwa 1.700 Megawattstunden im Jahr',
        '- vermiedene CO₂-Emissionen: rund 700 Tonnen im Jahr',
        '- Investition: 2,1 Millionen Euro',
      ].join('\n'),
      'Vor der Montage wurde die Statik des Hallendachs geprüft und an einigen Stellen verstärkt. Die Bauarbeiten dauerten rund fünf Monate und liefen bei laufendem Betrieb; der Busverkehr war nicht eingeschränkt.',
      '## Weitere Dächer folgen',
      'Die Stadtwerke wollen bis zum Ende des Jahrzehnts alle geeigneten eigenen Gebäude mit Solaranlagen ausstatten, darunter das Wasserwerk und das Stadtbad. Wer sich für eine Anlage auf dem eigenen Dach interessiert, findet Informationen zur Energieberatung der Stadtwerke unter [www.stadtwerke-musterstadt.example/solar](https://www.stadtwerke-musterstadt.example/solar).',
    ),
    topics: ['umwelt', 'wirtschaft'],
    regions: ['musterstadt'],
    photos: [
      {
        image: { kind: 'building', hue: 205, seed: 14, label: 'Betriebshof' },
        alt: 'Das moderne Verwaltungsgebäude am Busdepot mit durchgehenden Fensterbändern und Flachdach, davor Bäume und ein breiter Zugangsweg.',
        caption: 'Das Busdepot der Stadtwerke an der Hafenstraße: Auf dem Dach der angrenzenden Wagenhalle sind rund 4.200 Solarmodule montiert.',
        credit: 'Foto: Stadtwerke Musterstadt',
      },
      {
        image: { kind: 'chart', hue: 38, seed: 2, label: 'Solaranteil am Ladestrom in %' },
        alt: 'Balkendiagramm mit einer Verlaufslinie: Anteil des Solarstroms am Ladestrom der Elektrobusse in Prozent, Monat für Monat seit Inbetriebnahme des Probebetriebs.',
        caption: 'Schon im Probebetrieb deckte die Anlage einen wachsenden Teil des Ladestroms der Elektrobusse.',
        credit: 'Grafik: Stadtwerke Musterstadt',
      },
    ],
  },
  {
    office: 'stadtwerke-musterstadt',
    daysAgo: 0,
    status: 'draft',
    title: 'Linie 4 fährt ab Montag im 15-Minuten-Takt',
    subtitle: 'Neuer Fahrplan verbessert die Anbindung des Gewerbegebiets Nord – letzte Fahrt später am Abend',
    dateline: 'Musterstadt',
    bodyMarkdown: md(
      'Die Stadtwerke Musterstadt verdichten den Takt auf der Buslinie 4: Ab Montag fahren die Busse zwischen dem Hauptbahnhof und dem Gewerbegebiet Nord montags bis freitags von 6 bis 20 Uhr alle 15 Minuten statt wie bisher alle 30 Minuten. Samstags gilt zwischen 8 und 18 Uhr ein 20-Minuten-Takt.',
      'Mit dem neuen Fahrplan reagieren die Stadtwerke auf die stark gestiegene Nachfrage. Seit sich mehrere Unternehmen im Gewerbegebiet Nord angesiedelt haben und das Berufsschulzentrum erweitert wurde, ist die Zahl der Fahrgäste auf der Linie 4 um fast 40 Prozent gewachsen. Zu den Stoßzeiten waren die Busse zuletzt regelmäßig überfüllt.',
      '„Wer morgens mit dem Bus zur Arbeit oder zur Schule fährt, soll sich auf eine entspannte Fahrt verlassen können“, sagt Verkehrsbetriebsleiter Kai Oltmanns. Für den dichteren Takt setzen die Stadtwerke drei zusätzliche Busse ein und haben sechs Fahrerinnen und Fahrer neu eingestellt.',
      '## Was sich außerdem ändert',
      [
        '- Die Haltestelle „Berufsschulzentrum“ wird in beiden Richtungen angefahren; bisher hielten die Busse dort nur stadtauswärts.',
        '- Die letzte Fahrt ab Hauptbahnhof startet künftig um 23.40 Uhr statt um 22.50 Uhr.',
        '- In den Schulferien fahren die Busse werktags im 20-Minuten-Takt.',
      ].join('\n'),
      'Den neuen Fahrplan gibt es unter [www.stadtwerke-musterstadt.example/linie4](https://www.stadtwerke-musterstadt.example/linie4), in der App der Stadtwerke und im Kundenzentrum am Marktplatz. Die Aushänge an den Haltestellen werden bis zum Wochenende ausgetauscht.',
    ),
    topics: ['verkehr'],
    regions: ['musterstadt'],
    photos: [],
  },
  {
    office: 'stadtwerke-musterstadt',
    daysAgo: 29,
    status: 'published',
    title: 'Trinkwasser in Musterstadt: Jahresanalyse bestätigt sehr gute Qualität',
    subtitle: 'Wasser bleibt im Härtebereich „mittel“ – Stadtwerke geben Tipps für den Haushalt',
    dateline: 'Musterstadt',
    bodyMarkdown: md(
      'Das Trinkwasser der Stadtwerke Musterstadt erfüllt alle gesetzlichen Anforderungen und ist von sehr guter Qualität. Das bestätigt die aktuelle Jahresanalyse, die ein unabhängiges, akkreditiertes Labor im Auftrag der Stadtwerke erstellt hat. Untersucht wurden Proben aus den drei Wasserwerken, aus den Hochbehältern und aus dem Leitungsnetz an insgesamt 48 Entnahmestellen im Stadtgebiet.',
      'Bei keinem der mehr als 60 untersuchten Parameter wurde ein Grenzwert überschritten. Der Nitratgehalt liegt im Mittel bei 11 Milligramm pro Liter und damit weit unter dem Grenzwert von 50 Milligramm. Pflanzenschutzmittel und ihre Abbauprodukte waren nicht nachweisbar.',
      '„Unser Wasser stammt zum größten Teil aus tiefen Brunnen im Wasserschutzgebiet Oberbachtal. Der gute Zustand dieses Gebiets ist die Grundlage für die Qualität, die bei unseren Kundinnen und Kunden aus dem Hahn kommt“, erläutert Laborleiterin Sabine Dörflinger.',
      '## Härtebereich „mittel“',
      'Die Gesamthärte liegt je nach Stadtteil zwischen 9 und 13 Grad deutscher Härte. Damit gehört das Musterstädter Wasser unverändert zum Härtebereich „mittel“. Für den Alltag heißt das:',
      [
        '- Waschmittel nach der Angabe für den Härtebereich „mittel“ dosieren,',
        '- Wasserkocher und Kaffeemaschinen etwa alle vier bis acht Wochen entkalken,',
        '- eine zusätzliche Enthärtungsanlage ist für Privathaushalte in der Regel nicht nötig.',
      ].join('\n'),
      'Die vollständigen Analyseergebnisse für jede Versorgungszone stehen unter [www.stadtwerke-musterstadt.example/trinkwasser](https://www.stadtwerke-musterstadt.example/trinkwasser). Auskunft gibt auch das Kundenzentrum der Stadtwerke am Marktplatz.',
    ),
    topics: ['gesundheit', 'umwelt'],
    regions: ['musterstadt', 'oberbachtal'],
    photos: [
      {
        image: { kind: 'landscape', hue: 198, seed: 9 },
        alt: 'Wiesen und Felder in einem weiten Tal, dahinter sanfte Hügel mit einzelnen Bäumen unter einem hellblauen Himmel mit Wolken.',
        caption: 'Ein großer Teil des Musterstädter Trinkwassers stammt aus Brunnen im Wasserschutzgebiet Oberbachtal.',
        credit: 'Foto: Stadtwerke Musterstadt',
      },
    ],
  },
  {
    office: 'stadtwerke-musterstadt',
    daysAgo: 47,
    status: 'published',
    title: 'Stadtbad Musterstadt öffnet nach Sanierung wieder',
    subtitle: 'Neue Technik, barrierefreier Zugang und mehr Schwimmkurse – Eröffnungswochenende mit freiem Eintritt',
    dateline: 'Musterstadt',
    bodyMarkdown: md(
      'Nach rund 14 Monaten Bauzeit öffnet das Stadtbad Musterstadt am Samstag wieder. Die Stadtwerke haben das Hallenbad aus den 1970er-Jahren in dieser Zeit umfassend saniert: Erneuert wurden unter anderem die Lüftungs- und Wassertechnik, die Fliesen im Schwimmerbecken und die Umkleiden. Insgesamt haben die Stadtwerke rund 7,5 Millionen Euro investiert, 2,8 Millionen Euro davon stammen aus einem Förderprogramm des Bundes für Sportstätten.',
      'Zu den sichtbarsten Neuerungen gehört der barrierefreie Zugang. Ein Aufzug verbindet den Eingangsbereich mit der Schwimmhalle, ein Hublift erleichtert Menschen mit Behinderung den Einstieg ins Becken. Außerdem gibt es nun zwei Familienumkleiden. Die neue Lüftungsanlage mit Wärmerückgewinnung senkt den Energieverbrauch des Bades nach Berechnungen der Stadtwerke um etwa ein Drittel.',
      '## Eröffnungswochenende mit freiem Eintritt',
      'Am Samstag und Sonntag ist der Eintritt frei. Von 10 bis 17 Uhr zeigt das Team des Bades bei Führungen die Technik hinter den Kulissen, die örtliche Wasserrettung stellt ihre Arbeit vor, und für Kinder gibt es ein Spielprogramm im Lehrschwimmbecken.',
      '## Mehr Schwimmkurse für Kinder',
      'Mit der Wiedereröffnung starten auch die Kurse neu. Statt bisher sechs bieten die Stadtwerke künftig **zehn Anfängerschwimmkurse** pro Halbjahr an. Hinzu kommen Aquafitness, Wassergymnastik für Seniorinnen und Senioren sowie ein Frühschwimmen ab 6.30 Uhr an drei Werktagen. Anmeldungen sind ab sofort unter [www.stadtwerke-musterstadt.example/stadtbad](https://www.stadtwerke-musterstadt.example/stadtbad) möglich.',
    ),
    topics: ['gesundheit', 'soziales'],
    regions: ['musterstadt'],
    photos: [
      {
        image: { kind: 'building', hue: 195, seed: 13, label: 'Stadtbad' },
        alt: 'Das Stadtbad mit erneuerter heller Fassade und breiten Fensterbändern, davor Bäume und ein gepflasterter Weg zum Eingang.',
        caption: 'Nach 14 Monaten Bauzeit ist das Stadtbad an der Parkallee wieder geöffnet.',
        credit: 'Foto: Stadtwerke Musterstadt',
      },
    ],
  },
  {
    office: 'stadtwerke-musterstadt',
    daysAgo: 58,
    status: 'published',
    title: 'Fernwärmeausbau: Bauarbeiten in der Lindenstraße beginnen',
    subtitle: 'Rund 600 Meter neue Leitung – Hauseigentümer können sich kostenlos zum Anschluss beraten lassen',
    dateline: 'Musterstadt',
    bodyMarkdown: md(
      'Die Stadtwerke Musterstadt setzen den Ausbau ihres Fernwärmenetzes fort. Ab Montag beginnen die Bauarbeiten in der Lindenstraße zwischen der Bahnhofstraße und dem Gutenbergplatz. Auf rund 600 Metern verlegen die Stadtwerke dort neue Fernwärmeleitungen; gleichzeitig tauschen sie eine alte Wasserleitung aus und ziehen Leerrohre für Glasfaser ein. Die Arbeiten dauern voraussichtlich vier Monate.',
      'Gebaut wird in drei Abschnitten, damit die Lindenstraße nie auf ganzer Länge gesperrt ist. Im jeweiligen Baufeld ist die Straße für den Durchgangsverkehr gesperrt; Anliegerinnen und Anlieger kommen weiterhin zu ihren Grundstücken, zeitweise allerdings nur zu Fuß. Rettungsdienst und Müllabfuhr kommen jederzeit durch. Die Buslinie 2 wird über die Parkallee umgeleitet.',
      '## Jetzt anschließen lassen',
      'Für die Eigentümerinnen und Eigentümer der rund 90 Gebäude entlang der Lindenstraße ist die Baustelle eine Gelegenheit: Wer sein Haus jetzt anschließen lässt, spart die Kosten für ein späteres, gesondertes Aufgraben der Straße. Die Stadtwerke bieten dazu eine kostenlose Erstberatung an, auf Wunsch auch vor Ort. Dabei geht es unter anderem um diese Fragen:',
      [
        '- Ist das Gebäude technisch für einen Anschluss geeignet?',
        '- Welche Kosten fallen für Hausanschluss und Übergabestation an?',
        '- Welche Förderprogramme können genutzt werden?',
      ].join('\n'),
      '„Unsere Fernwärme stammt schon heute zu mehr als der Hälfte aus erneuerbaren Quellen und industrieller Abwärme. In zehn Jahren sollen es hundert Prozent sein“, sagt Projektleiter Henrik Balzer. Beratungstermine können telefonisch unter 01234/9876-444 oder unter [www.stadtwerke-musterstadt.example/fernwaerme](https://www.stadtwerke-musterstadt.example/fernwaerme) vereinbart werden.',
    ),
    topics: ['umwelt', 'verkehr'],
    regions: ['musterstadt'],
    photos: [],
  },

  // ----- Hochschule Oberbachtal --------------------------------------------------------------
  {
    office: 'hochschule-oberbachtal',
    daysAgo: 1,
    status: 'published',
    title: 'Hochschule Oberbachtal startet berufsbegleitenden Bachelor „Pflege und Management“',
    subtitle: 'Teilzeitstudium für Pflegefachkräfte, die Leitungsaufgaben übernehmen wollen – Bewerbung ab sofort möglich',
    dateline: 'Oberbachtal',
    bodyMarkdown: md(
      'Die Hochschule Oberbachtal bietet zum nächsten Semester einen neuen berufsbegleitenden Bachelorstudiengang an. „Pflege und Management“ richtet sich an ausgebildete Pflegefachkräfte, die Leitungsaufgaben übernehmen oder sich darauf vorbereiten möchten. Das Studium dauert acht Semester und ist so aufgebaut, dass es sich mit einer Teilzeitstelle vereinbaren lässt.',
      'Die Lehrveranstaltungen finden überwiegend online statt, hinzu kommen vier Präsenzwochenenden pro Semester auf dem Campus in Oberbachtal. Inhaltlich verbindet der Studiengang pflegewissenschaftliche Grundlagen mit Betriebswirtschaft, Personalführung, Qualitätsmanagement und Gesundheitsrecht. In Praxisprojekten bearbeiten die Studierenden Fragen aus ihrer eigenen Einrichtung.',
      '„Kliniken, Pflegeheime und ambulante Dienste suchen dringend Leitungskräfte, die die Pflege von innen kennen“, sagt Studiengangsleiterin Prof. Dr. Miriam Teschner. „Wir wollen erfahrenen Pflegekräften einen Weg eröffnen, sich weiterzuentwickeln, ohne den Beruf aufgeben zu müssen.“',
      '## Voraussetzungen und Bewerbung',
      'Bewerben können sich Personen mit einer abgeschlossenen dreijährigen Pflegeausbildung. Das Abitur ist nicht zwingend erforderlich: Wer nach der Ausbildung mindestens drei Jahre im Beruf gearbeitet hat, kann auch ohne Hochschulreife zugelassen werden. Bereits erworbene Qualifikationen, etwa eine Weiterbildung zur Stationsleitung, werden angerechnet und verkürzen das Studium.',
      'Mehrere Kliniken und Pflegeeinrichtungen aus der Region unterstützen den Studiengang als Kooperationspartner und stellen ihre Beschäftigten für die Präsenzphasen frei. Eine Online-Infoveranstaltung findet am Mittwoch der kommenden Woche um 18 Uhr statt. Anmeldung und Bewerbungsportal: [www.hs-oberbachtal.example/pflege](https://www.hs-oberbachtal.example/pflege).',
    ),
    topics: ['bildung', 'gesundheit'],
    regions: ['oberbachtal', 'landkreis-beispiel'],
    photos: [
      {
        image: { kind: 'people', hue: 200, seed: 12 },
        alt: 'Fünf Frauen und Männer unterschiedlichen Alters stehen in zwei versetzten Reihen in einem hellen Seminarraum vor großen Fenstern.',
        caption: 'Der neue Studiengang richtet sich an Pflegefachkräfte, die neben dem Beruf studieren möchten.',
        credit: 'Foto: Hochschule Oberbachtal',
      },
    ],
  },
  {
    office: 'hochschule-oberbachtal',
    daysAgo: 20,
    status: 'published',
    title: 'Blühstreifen wirken: Forschungsteam zählt deutlich mehr Wildbienen am Ackerrand',
    subtitle: 'Zweijährige Studie der Hochschule Oberbachtal auf 24 Flächen im Landkreis Beispiel abgeschlossen',
    dateline: 'Oberbachtal',
    bodyMarkdown: md(
      'Blühstreifen am Rand von Äckern fördern Wildbienen und andere Bestäuber deutlich. Zu diesem Ergebnis kommt eine Studie des Instituts für Agrarökologie der Hochschule Oberbachtal, die gemeinsam mit Landwirtinnen und Landwirten aus dem Landkreis Beispiel entstanden ist. An Ackerrändern mit mehrjährigen Blühstreifen zählte das Forschungsteam im Durchschnitt etwa zweieinhalbmal so viele Wildbienen wie an vergleichbaren Rändern ohne Blühstreifen.',
      'Zwei Jahre lang haben die Forschenden 24 Flächen zwischen Lindenhain, Bad Rödingen und Oberbachtal untersucht. Sie stellten Farbschalen auf, gingen mit dem Kescher festgelegte Strecken ab und bestimmten die Tiere anschließend im Labor. Insgesamt wiesen sie 112 Wildbienenarten nach, darunter elf Arten der Roten Liste.',
      '„Besonders wichtig ist, dass die Streifen über mehrere Jahre stehen bleiben“, erklärt Projektleiter Prof. Dr. Konstantin Aigner. „Viele Wildbienen nisten im Boden oder in trockenen Pflanzenstängeln. Wird die Fläche jedes Jahr umgebrochen, gehen auch ihre Nester verloren.“ Einjährige Blühstreifen schnitten in der Studie deutlich schlechter ab.',
      '## Empfehlungen für die Praxis',
      'Aus den Ergebnissen hat das Team Empfehlungen für Landwirtschaft und Kommunen abgeleitet:',
      [
        '- Blühstreifen möglichst fünf Jahre oder länger stehen lassen,',
        '- regionales, an den Standort angepasstes Saatgut verwenden,',
        '- Teilflächen zeitversetzt mähen, damit immer etwas blüht,',
        '- offene, sonnige Bodenstellen als Nistplätze erhalten.',
      ].join('\n'),
      'Die Studie wurde vom Land gefördert und erscheint in einer Fachzeitschrift. Eine allgemein verständliche Zusammenfassung steht unter [www.hs-oberbachtal.example/bluehstreifen](https://www.hs-oberbachtal.example/bluehstreifen) bereit. Am Mittwoch der kommenden Woche stellt das Team die Ergebnisse um 18 Uhr im Kreishaus in Musterstadt öffentlich vor.',
    ),
    topics: ['wissenschaft', 'umwelt'],
    regions: ['landkreis-beispiel', 'oberbachtal', 'lindenhain', 'bad-roedingen'],
    contactIndex: 1,
    photos: [
      {
        image: { kind: 'landscape', hue: 212, seed: 2 },
        alt: 'Hügelige Agrarlandschaft mit farbigen Feldstreifen, einzelnen Bäumen und bewaldeten Höhen unter einem blauen Himmel mit Schönwetterwolken.',
        caption: 'Eine der 24 Untersuchungsflächen bei Bad Rödingen: Zwischen Acker und Feldweg wachsen mehrjährige Blühstreifen.',
        credit: 'Foto: Hochschule Oberbachtal',
      },
    ],
  },
  {
    office: 'hochschule-oberbachtal',
    daysAgo: 35,
    status: 'published',
    title: 'Kinder-Uni: Warum fliegt ein Flugzeug?',
    subtitle: 'Hochschule Oberbachtal lädt Acht- bis Zwölfjährige zu fünf Vorlesungen ein – Anmeldung ab sofort',
    dateline: 'Oberbachtal',
    bodyMarkdown: md(
      'Warum fliegt ein Flugzeug? Wie kommt der Strom in die Steckdose? Und was machen eigentlich Roboter im Krankenhaus? Antworten auf diese und andere Fragen gibt die Kinder-Uni der Hochschule Oberbachtal. In diesem Semester lädt die Hochschule Kinder zwischen acht und zwölf Jahren zu fünf Vorlesungen ein. Sie finden jeweils samstags um 11 Uhr im Audimax auf dem Campus statt und dauern 45 Minuten.',
      'Die Vorlesungen halten Professorinnen und Professoren aus allen vier Fachbereichen. Sie haben ihre Themen eigens für das junge Publikum aufbereitet, mit vielen Experimenten und Zeit für Fragen. Im Anschluss können die Kinder an Mitmachstationen im Foyer selbst forschen.',
      '## Das Programm',
      [
        '- Warum fliegt ein Flugzeug? – Prof. Dr. Tobias Reinhold, Maschinenbau',
        '- Vom Windrad in die Steckdose – Prof. Dr. Aylin Demirci, Elektrotechnik',
        '- Roboter im Krankenhaus – Prof. Dr. Miriam Teschner, Pflege und Gesundheit',
        '- Wie viel Zucker steckt in der Limo? – Prof. Dr. Sven Kröger, Lebensmitteltechnologie',
        '- Wem gehört eigentlich der Wald? – Prof. Dr. Konstantin Aigner, Agrarökologie',
      ].join('\n'),
      'Die Teilnahme ist kostenlos. Weil die Zahl der Plätze begrenzt ist, ist eine Anmeldung erforderlich; Eltern können ihre Kinder unter [www.hs-oberbachtal.example/kinderuni](https://www.hs-oberbachtal.example/kinderuni) anmelden. Jedes Kind erhält zu Beginn einen eigenen Studierendenausweis der Kinder-Uni, wer mindestens vier Vorlesungen besucht, bekommt zum Abschluss eine Urkunde.',
      '„Die Kinder-Uni soll Neugier wecken und zeigen, dass Wissenschaft Spaß macht“, sagt Hochschulpräsidentin Prof. Dr. Gesine Harbrecht. Während der Vorlesungen können Eltern im Foyer warten; das Studierendencafé ist geöffnet.',
    ),
    topics: ['bildung', 'wissenschaft'],
    regions: ['oberbachtal'],
    photos: [
      {
        image: { kind: 'event', hue: 215, seed: 4, label: 'Kinder-Uni' },
        alt: 'Ein Dozent steht an einem Rednerpult auf einer von Scheinwerfern beleuchteten Bühne, davor die Silhouetten vieler Zuhörender im dunklen Hörsaal.',
        caption: 'Voller Hörsaal bei der Kinder-Uni: Die Vorlesungen sind bei Kindern aus der ganzen Region beliebt.',
        credit: 'Foto: Hochschule Oberbachtal',
      },
    ],
  },
  {
    office: 'hochschule-oberbachtal',
    daysAgo: 52,
    status: 'published',
    title: 'Gründungszentrum vergibt Stipendien an fünf Start-up-Teams',
    subtitle: 'Von der Hofladen-App bis zum recycelbaren Dämmstoff: Ein Jahr Förderung und Arbeitsplätze auf dem Campus',
    dateline: 'Oberbachtal',
    bodyMarkdown: md(
      'Fünf Gründungsteams aus der Hochschule Oberbachtal erhalten in diesem Jahr ein Gründungsstipendium. Eine Jury aus Unternehmerinnen und Unternehmern, der regionalen Wirtschaftsförderung und Hochschulangehörigen hat sie aus 19 Bewerbungen ausgewählt. Die Teams erhalten zwölf Monate lang eine monatliche Förderung, Arbeitsplätze im Gründungszentrum auf dem Campus und ein Coaching durch erfahrene Gründerinnen und Gründer.',
      'Die ausgewählten Ideen zeigen die Bandbreite der Hochschule:',
      [
        '- **Hofkiste**: eine App, über die Hofläden aus der Region gemeinsam Bestellungen und Lieferungen organisieren,',
        '- **Faserwerk**: ein Dämmstoff aus Reststoffen der Hanfverarbeitung, der sich vollständig wiederverwerten lässt,',
        '- **Dienstplaner**: eine Software, die Dienstpläne in der ambulanten Pflege mit den Wünschen der Beschäftigten abgleicht,',
        '- **Klarsicht**: ein Sensor, der die Wasserqualität in Fischteichen und kleinen Gewässern überwacht,',
        '- **Werkbank digital**: eine Lernplattform für Auszubildende im Handwerk.',
      ].join('\n'),
      '„Gute Ideen entstehen an einer Hochschule jeden Tag. Mit den Stipendien geben wir den Teams die Zeit, aus einer Idee ein tragfähiges Unternehmen zu machen“, sagt Dr. Lena Voßkamp, Leiterin des Gründungszentrums. In den vergangenen sechs Jahren sind aus dem Programm 23 Unternehmen hervorgegangen, von denen 19 noch am Markt sind.',
      '## Hintergrund',
      'Das Gründungszentrum der Hochschule Oberbachtal berät Studierende, Beschäftigte und Ehemalige bei allen Fragen rund um die Unternehmensgründung. Die Stipendien werden aus Mitteln des Landes und der Sparkasse Beispiel finanziert. Die nächste Bewerbungsrunde wird rechtzeitig unter [www.hs-oberbachtal.example/gruendung](https://www.hs-oberbachtal.example/gruendung) angekündigt.',
    ),
    topics: ['wirtschaft', 'wissenschaft'],
    regions: ['oberbachtal', 'landkreis-beispiel'],
    photos: [
      {
        image: { kind: 'people', hue: 140, seed: 6 },
        alt: 'Sechs junge Frauen und Männer stehen in zwei versetzten Reihen vor einer hellen Fensterfront und blicken in die Kamera.',
        caption: 'Die Stipendiatinnen und Stipendiaten des Gründungszentrums bei der Übergabe der Urkunden auf dem Campus in Oberbachtal.',
        credit: 'Foto: Hochschule Oberbachtal',
      },
    ],
  },
];
