/**
 * A movie as the REST contract describes it: what `GET /api/movies` answers on either side of
 * the migration (the legacy monolith and the movies service each implement it their own way).
 */
export interface Movie {
  id: number;
  title: string;
  description: string;
  genres: string[];
  rating: number;
}
