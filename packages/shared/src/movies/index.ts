export * from './movie';
export * from './movieLookup';
export * from './newMovieInput';
