// Fills an empty database with the demo press offices and releases of demo-data.ts, with generated
// pictures, so a newcomer sees a real newsroom on first start. Dates are relative to the clock.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Services } from '../services.ts';
import type { ReleaseInput } from '../modules/releases/release.ts';
import { demoOffices, demoRegions, demoReleases, demoTopics } from './demo-data.ts';
import { renderDemoImage } from './demo-images.ts';
import { createPhotoStore } from '../modules/media/photos.service.ts';

const DAY = 24 * 60 * 60 * 1000;

export interface SeedResult {
  offices: number;
  releases: number;
}

const isoDate = (d: Date) => d.toISOString().slice(0, 10);

export const seedDemo = async (services: Services, mediaDir: string): Promise<SeedResult> => {
  const { offices, releases, releasePhotos, taxonomies, clock } = services;
  // The same pipeline as an upload from the editor, with quicker encoder settings so the seed stays fast.
  const photos = createPhotoStore({ mediaDir, encoding: 'quick' });
  for (const t of demoTopics) await taxonomies.create('topics', t.slug, t.name);
  for (const r of demoRegions) await taxonomies.create('regions', r.slug, r.name);

  const officeIds = new Map<string, { id: number; notice: string; contacts: Awaited<ReturnType<typeof offices.contacts>> }>();
  for (const o of demoOffices) {
    const office = await offices.create(
      { slug: o.slug, name: o.name, descriptionMarkdown: o.description, website: o.website, republicationNotice: o.republicationNotice, language: o.language },
      o.contacts,
    );
    const logoRel = `offices/${office.id}/logo.png`;
    await mkdir(path.join(mediaDir, `offices/${office.id}`), { recursive: true });
    await writeFile(path.join(mediaDir, logoRel), await renderDemoImage(o.logo));
    await offices.setLogo(office.id, logoRel);
    officeIds.set(o.slug, { id: office.id, notice: o.republicationNotice, contacts: await offices.contacts(office.id) });
  }

  // Oldest first, so ids grow with time as they would in real use.
  const ordered = [...demoReleases].sort((a, b) => b.daysAgo - a.daysAgo);
  const now = clock.now().getTime();
  let count = 0;
  for (const d of ordered) {
    const office = officeIds.get(d.office)!;
    const contact = office.contacts[d.contactIndex ?? 0] ?? office.contacts[0];
    const input: ReleaseInput = {
      title: d.title,
      subtitle: d.subtitle,
      releaseDate: isoDate(new Date(now - d.daysAgo * DAY)),
      dateline: d.dateline,
      bodyMarkdown: d.bodyMarkdown,
      contact: contact ? { ...contact } : null,
      republicationNotice: office.notice,
      topics: d.topics,
      regions: d.regions,
      language: 'de',
    };
    if ('id' in (input.contact ?? {})) delete (input.contact as unknown as Record<string, unknown>).id;
    const release = await releases.create(office.id, input, { status: 'draft' });
    // Original plus responsive variants, as for an upload.
    const stored = await Promise.all(d.photos.map(async (p) => photos.storeUpload(release.id, await renderDemoImage(p.image), 'demo.jpg')));
    for (const [i, p] of d.photos.entries()) {
      await releasePhotos.addPhoto(release.id, { ...stored[i]!, alt: p.alt, caption: p.caption, credit: p.credit });
    }
    if (d.status === 'scheduled') {
      await releases.schedule(release.id, new Date(now + Math.max(1, -d.daysAgo) * DAY).toISOString());
    } else if (d.status !== 'draft') {
      // 09:00 UTC on its release date, but never later than now.
      const at = Math.min(now - d.daysAgo * DAY - (now % DAY) + 9 * 60 * 60 * 1000, now - 60_000);
      await releases.publishAsOf(release.id, new Date(at).toISOString());
      if (d.correction) await releases.correct(release.id, { ...input, bodyMarkdown: d.correction.bodyMarkdown }, d.correction.note);
      if (d.status === 'withdrawn') await releases.withdraw(release.id, d.withdrawalNote ?? '');
    }
    count++;
  }
  return { offices: demoOffices.length, releases: count };
};
