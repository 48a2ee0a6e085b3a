// esbuild bundles imported stylesheets into the page's .css file; they export nothing to scripts.
declare module '*.css';
