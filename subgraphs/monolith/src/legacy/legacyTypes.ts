/** The legacy REST shapes (REST-CONTRACT.md), snake_case as they travel on the wire. */

export interface LegacyUser {
  id: number;
  username: string;
  email: string;
}

export interface LegacyPayment {
  id: number;
  user_id: number;
  amount: number;
  /** RFC 3339, set by the monolith. */
  timestamp: string;
}

export interface LegacySubscription {
  id: number;
  user_id: number;
  plan_type: string;
  /** RFC 3339. */
  start_date: string;
  /** RFC 3339. */
  end_date: string;
}

/** `GET /api/movies`: the same shape the movies service answers, over the same tables. */
export interface LegacyMovie {
  id: number;
  title: string;
  description: string | null;
  genres: string[];
  rating: number | null;
}

export type NewLegacyUser = Pick<LegacyUser, 'username' | 'email'>;
export type NewLegacyPayment = Pick<LegacyPayment, 'user_id' | 'amount'>;
export type NewLegacySubscription = Omit<LegacySubscription, 'id'>;
