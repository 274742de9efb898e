/**
 * Where the generator reads and writes: everything relative to the docs package, so the scripts run
 * from any working directory.
 * @module
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

/** packages/docs/ */
export const DOCS_DIR = fileURLToPath(new URL('../../', import.meta.url));
/** packages/ */
export const PACKAGES_DIR = join(DOCS_DIR, '..');
/** The hand-written guide templates (markdown with `<!-- gen:key -->` markers). */
export const TEMPLATES_DIR = join(DOCS_DIR, 'guides');
/** Where the filled-in guides go; TypeDoc reads them from here (gitignored). */
export const GENERATED_GUIDES_DIR = join(DOCS_DIR, 'generated', 'guides');
/** Pictures the guides link to as `./media/NAME`; TypeDoc copies them into the site. */
export const MEDIA_DIR = join(GENERATED_GUIDES_DIR, 'media');
/** The built site. */
export const SITE_DIR = join(DOCS_DIR, 'site');
