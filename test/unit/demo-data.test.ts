import { test } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { demoOffices, demoRegions, demoReleases, demoTopics } from '../../src/demo/demo-data.ts';
import { renderDemoImage } from '../../src/demo/demo-images.ts';
import type { DemoImageSpec } from '../../src/demo/demo-images.ts';

const SLUG = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const allImages = (): DemoImageSpec[] => [
  ...demoOffices.map((office) => office.logo),
  ...demoReleases.flatMap((release) => release.photos.map((photo) => photo.image)),
];

test('topic, region and office slugs are valid and unique', () => {
  for (const list of [demoTopics, demoRegions, demoOffices]) {
    const slugs = list.map((item) => item.slug);
    for (const slug of slugs) assert.match(slug, SLUG);
    assert.equal(new Set(slugs).size, slugs.length, 'duplicate slug');
    for (const item of list) assert.ok(item.name.trim(), `${item.slug} has a name`);
  }
  assert.ok(demoTopics.length >= 6);
  assert.ok(demoRegions.length >= 4);
  assert.equal(demoOffices.length, 3);
});

test('offices have contacts, a republication notice and a description', () => {
  for (const office of demoOffices) {
    assert.ok(office.contacts.length >= 1 && office.contacts.length <= 2, office.slug);
    for (const contact of office.contacts) {
      assert.ok(contact.organisation && contact.name && contact.role && contact.email, office.slug);
      assert.equal(contact.organisation, contact.organisation.toUpperCase(), 'organisation in capitals');
      assert.match(contact.email, /@[a-z0-9.-]+\.example$/);
      assert.match(contact.website, /^https:\/\/[a-z0-9.-]+\.example$/);
    }
    assert.ok(office.republicationNotice.length > 40);
    const paragraphs = office.description.split(/\n{2,}/);
    assert.ok(paragraphs.length >= 1 && paragraphs.length <= 3);
    assert.match(office.website, /^https:\/\/[a-z0-9.-]+\.example$/);
    assert.equal(office.language, 'de');
    assert.equal(office.logo.kind, 'logo');
  }
});

test('every release references existing offices, topics and regions', () => {
  const offices = new Map(demoOffices.map((office) => [office.slug, office]));
  const topics = new Set(demoTopics.map((topic) => topic.slug));
  const regions = new Set(demoRegions.map((region) => region.slug));
  for (const release of demoReleases) {
    const office = offices.get(release.office);
    assert.ok(office, `unknown office ${release.office}`);
    assert.ok(release.topics.length > 0, release.title);
    assert.ok(release.regions.length > 0, release.title);
    for (const topic of release.topics) assert.ok(topics.has(topic), `unknown topic ${topic}`);
    for (const region of release.regions) assert.ok(regions.has(region), `unknown region ${region}`);
    if (release.contactIndex !== undefined) {
      assert.ok(office.contacts[release.contactIndex], `${release.title}: contact ${release.contactIndex} exists`);
    }
  }
});

test('every topic and region appears in at least one published release', () => {
  const published = demoReleases.filter((release) => release.status === 'published');
  for (const topic of demoTopics) assert.ok(published.some((r) => r.topics.includes(topic.slug)), topic.slug);
  for (const region of demoRegions) assert.ok(published.some((r) => r.regions.includes(region.slug)), region.slug);
  for (const office of demoOffices) assert.ok(published.some((r) => r.office === office.slug), office.slug);
});

test('status counts: 12 published, 1 scheduled, 1 draft, 1 withdrawn', () => {
  assert.equal(demoReleases.length, 15);
  const count = (status: string): number => demoReleases.filter((release) => release.status === status).length;
  assert.equal(count('published'), 12);
  assert.equal(count('scheduled'), 1);
  assert.equal(count('draft'), 1);
  assert.equal(count('withdrawn'), 1);
  for (const release of demoReleases) {
    if (release.status === 'scheduled') assert.equal(release.daysAgo, -2);
    else assert.ok(release.daysAgo >= 0 && release.daysAgo <= 60, `${release.title}: daysAgo ${release.daysAgo}`);
    assert.equal(Boolean(release.withdrawalNote), release.status === 'withdrawn', `${release.title}: withdrawal note`);
  }
});

test('exactly one published release carries a correction with a changed body', () => {
  const corrected = demoReleases.filter((release) => release.correction);
  assert.equal(corrected.length, 1);
  const [release] = corrected;
  assert.equal(release!.status, 'published');
  assert.match(release!.correction!.note, /^Korrigiert: /);
  assert.notEqual(release!.correction!.bodyMarkdown, release!.bodyMarkdown);
});

test('bodies are Markdown of the agreed kind, of realistic length, not starting with the dateline', () => {
  for (const release of demoReleases) {
    const bodies = [release.bodyMarkdown, ...(release.correction ? [release.correction.bodyMarkdown] : [])];
    for (const body of bodies) {
      assert.ok(release.dateline.trim(), 'dateline set');
      assert.ok(!body.trimStart().startsWith(release.dateline), `${release.title}: body starts with the dateline`);
      assert.equal(body, body.trim(), `${release.title}: no surrounding whitespace`);
      const words = body.split(/\s+/).filter(Boolean).length;
      assert.ok(words >= 150 && words <= 450, `${release.title}: ${words} words`);
      const blocks = body.split(/\n{2,}/);
      assert.ok(!blocks[0]!.startsWith('#') && !blocks[0]!.startsWith('- '), `${release.title}: opens with a paragraph`);
      const paragraphs = blocks.filter((block) => !block.startsWith('## ') && !block.startsWith('- '));
      assert.ok(paragraphs.length >= 3 && paragraphs.length <= 7, `${release.title}: ${paragraphs.length} paragraphs`);
      for (const block of blocks) {
        if (block.startsWith('## ')) assert.ok(!block.includes('\n'), `${release.title}: heading is one line`);
        else if (block.startsWith('- ')) for (const line of block.split('\n')) assert.ok(line.startsWith('- '), line);
        else assert.ok(!/^(#|>|\d+\.|\*|\||```)/.test(block), `${release.title}: unexpected block ${block.slice(0, 30)}`);
      }
      for (const [, url] of body.matchAll(/\]\(([^)]*)\)/g)) {
        assert.match(url!, /^https:\/\/[a-z0-9.-]+\.example(\/|$)/, `${release.title}: link ${url}`);
      }
    }
    assert.ok(release.title.trim() && release.subtitle.trim(), 'title and subtitle');
  }
});

test('photos have alt text, caption and credit; two releases have two photos', () => {
  for (const release of demoReleases) {
    for (const photo of release.photos) {
      assert.ok(photo.alt.trim().length > 20, `${release.title}: alt`);
      assert.ok(photo.caption.trim(), `${release.title}: caption`);
      assert.match(photo.credit, /^(Foto|Grafik): \S/);
      assert.notEqual(photo.image.kind, 'logo');
    }
  }
  const perRelease = demoReleases.map((release) => release.photos.length);
  assert.equal(perRelease.filter((n) => n === 2).length, 2);
  assert.ok(perRelease.filter((n) => n === 0).length >= 1);
  assert.ok(perRelease.filter((n) => n === 1).length > perRelease.length / 2);
});

test('renderDemoImage gives a 1600x1067 JPEG for photos and a 400x400 PNG for logos', async () => {
  const photo = await renderDemoImage({ kind: 'landscape', hue: 200, seed: 1 });
  const photoMeta = await sharp(photo).metadata();
  assert.equal(photoMeta.format, 'jpeg');
  assert.equal(photoMeta.width, 1600);
  assert.equal(photoMeta.height, 1067);

  const logo = await renderDemoImage({ kind: 'logo', hue: 10, seed: 2, label: 'LB' });
  const logoMeta = await sharp(logo).metadata();
  assert.equal(logoMeta.format, 'png');
  assert.equal(logoMeta.width, 400);
  assert.equal(logoMeta.height, 400);
  assert.equal(logoMeta.hasAlpha, true);

  const small = await renderDemoImage({ kind: 'chart', hue: 120, seed: 3, label: 'Zahlen & <Daten>' }, 640, 480);
  const smallMeta = await sharp(small).metadata();
  assert.equal(smallMeta.width, 640);
  assert.equal(smallMeta.height, 480);

  const widthOnly = await sharp(await renderDemoImage({ kind: 'event', hue: 300, seed: 4 }, 800)).metadata();
  assert.equal(widthOnly.width, 800);
  assert.equal(widthOnly.height, 534);
});

// How fast they render is for a benchmark to say, not a test: a loaded machine fails a time limit.
test('renderDemoImage is deterministic and renders every demo image', async () => {
  const spec: DemoImageSpec = { kind: 'people', hue: 30, seed: 7 };
  assert.deepEqual(await renderDemoImage(spec), await renderDemoImage(spec));
  const other = await renderDemoImage({ ...spec, seed: 8 });
  assert.notDeepEqual(await renderDemoImage(spec), other);

  for (const image of allImages()) {
    const meta = await sharp(await renderDemoImage(image)).metadata();
    assert.equal(meta.format, image.kind === 'logo' ? 'png' : 'jpeg');
  }
});
