// Journalists and accreditations for the pre-release tests, written straight into their tables
// (0150, 0151) until the journalists module's services are merged.
import type { Kysely } from 'kysely';
import type { DB } from '../../src/db/database.ts';

let counter = 0;

export interface TestJournalist {
  id: number;
  name: string;
  medium: string;
  email: string;
}

/** A confirmed journalist, accredited (`accepted`) with `officeId`, or platform-wide with `null`; `status` for another standing. */
export const createJournalist = async (
  db: Kysely<DB>,
  { name, medium = 'Kasseler Tagblatt', email, officeId, status = 'accepted', prereleaseMail = 1, lang = 'de' }: { name?: string; medium?: string; email?: string; officeId: number | null; status?: 'requested' | 'accepted' | 'refused' | 'revoked'; prereleaseMail?: 0 | 1; lang?: 'de' | 'en' },
): Promise<TestJournalist> => {
  counter++;
  const now = '2026-03-01T09:00:00.000Z';
  const row = {
    name: name ?? `Journalistin ${counter}`,
    medium,
    email: email ?? `journalistin${counter}@redaktion.example`,
  };
  const { id } = await db
    .insertInto('journalists')
    .values({ ...row, lang, prerelease_mail: prereleaseMail, created_at: now, confirmed_at: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  await db.insertInto('accreditations').values({ journalist_id: id!, office_id: officeId, status, requested_at: now, decided_at: status === 'requested' ? null : now }).execute();
  return { id: id!, ...row };
};

/** A JPEG of one colour (exiftool writes IPTC into JPEG), made with sharp. */
export const jpegImage = async (width: number, height: number): Promise<Buffer> => {
  const sharp = (await import('sharp')).default;
  return sharp({ create: { width, height, channels: 3, background: { r: 30, g: 90, b: 160 } } }).jpeg({ quality: 90 }).toBuffer();
};
