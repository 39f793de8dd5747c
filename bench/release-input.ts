// The release the standalone benchmarks publish (mail.bench.ts, webhooks.bench.ts): German text with
// umlauts, a heading and a notice, no topics or regions.
export const benchReleaseInput = (title: string) => ({
  title,
  subtitle: 'Ein Untertitel mit Umlauten: Größe, Maß, Übersicht',
  releaseDate: '2026-03-10',
  dateline: 'Musterhausen',
  bodyMarkdown: 'Der Kreis baut **neue Radwege**. Die Arbeiten beginnen im April.\n\n## Hintergrund\n\nDas Netz wächst seit 2020. '.repeat(3),
  contact: null,
  republicationNotice: 'Abdruck honorarfrei.',
  topics: [],
  regions: [],
  language: 'de' as const,
});
