// esbuild bundles imported stylesheets into graphiql.css; they export nothing to scripts.
declare module '*.css';
