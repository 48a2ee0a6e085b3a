import path from 'node:path';

const GATEWAY_DIR = path.resolve(__dirname, '..', '..');

/** The status page's browser sources (React and uPlot), built by `npm run build`. */
export const STATUS_PAGE_SOURCE_DIR = path.join(GATEWAY_DIR, 'status-page');
export const STATUS_PAGE_ENTRY = path.join(STATUS_PAGE_SOURCE_DIR, 'entry.tsx');
/** The built files: content-hashed names, each beside its `.br` and `.gz`. */
export const STATUS_PAGE_ASSETS_DIR = path.join(GATEWAY_DIR, 'dist', 'public', 'status-page');
/** Which hashed files the page links, and what they were built from. */
export const STATUS_PAGE_MANIFEST = path.join(GATEWAY_DIR, 'dist', 'public', 'status-page.json');
/** The most the page's JavaScript and CSS may weigh together, gzipped. */
export const STATUS_PAGE_BUDGET_BYTES = 150 * 1024;
