// Request schemas of the press kit and the photo downloads.
import { Type, type Static } from '@sinclair/typebox';

// The id is checked by the route: anything but digits is a release that does not exist (404), as on the page.
export const PressKitParams = Type.Object({
  id: Type.String({ maxLength: 20 }),
});
export type PressKitParams = Static<typeof PressKitParams>;

export const PhotoDownloadParams = Type.Object({
  id: Type.String({ maxLength: 20 }),
  name: Type.String({ maxLength: 300 }),
});
export type PhotoDownloadParams = Static<typeof PhotoDownloadParams>;
