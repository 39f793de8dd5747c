// The Eta engines over views/: `html` auto-escapes (pages, the HTML part of mail, feed item
// content); `text` prints raw text (the text part of mail), keeping every newline (control-flow
// tags end in `-%>` to drop theirs). The pages' @fastify/view uses `html` too.
import path from 'node:path';
import { Eta } from 'eta';

export const VIEWS_DIR = path.resolve(import.meta.dirname, '../../views');

export const htmlTemplates = new Eta({ views: VIEWS_DIR, cache: true, autoEscape: true, autoTrim: [false, 'nl'] });

export const textTemplates = new Eta({ views: VIEWS_DIR, cache: true, autoEscape: false, autoTrim: false });
