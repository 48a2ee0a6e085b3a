export * from './moviesRepository';
export * from './moviesRoutes';
export * from './newMovieInput';
