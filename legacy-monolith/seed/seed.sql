-- The seed data of the REST contract, loaded once into an empty database.
-- Explicit ids keep references stable; the identity sequences are moved past them below.

INSERT INTO users (id, username, email) VALUES
  (1, 'user1', 'user1@example.com'),
  (2, 'user2', 'user2@example.com'),
  (3, 'user3', 'user3@example.com');

INSERT INTO movies (id, title, description, rating) VALUES
  (1, 'The Shawshank Redemption', 'Two imprisoned men bond over a number of years, finding solace and eventual redemption through acts of common decency.', 9.3),
  (2, 'The Godfather', 'The aging patriarch of an organized crime dynasty transfers control of his clandestine empire to his reluctant son.', 9.2),
  (3, 'The Dark Knight', 'When the menace known as the Joker wreaks havoc and chaos on the people of Gotham, Batman must accept one of the greatest psychological and physical tests of his ability to fight injustice.', 9.0),
  (4, 'Pulp Fiction', 'The lives of two mob hitmen, a boxer, a gangster and his wife intertwine in four tales of violence and redemption.', 8.9),
  (5, 'Forrest Gump', 'The presidencies of Kennedy and Johnson, the Vietnam War, and other historical events unfold from the perspective of an Alabama man with an IQ of 75.', 8.8);

INSERT INTO movie_genres (movie_id, genre, position) VALUES
  (1, 'Drama', 0),
  (2, 'Crime', 0), (2, 'Drama', 1),
  (3, 'Action', 0), (3, 'Crime', 1), (3, 'Drama', 2),
  (4, 'Crime', 0), (4, 'Drama', 1),
  (5, 'Drama', 0), (5, 'Romance', 1);

INSERT INTO payments (id, user_id, amount, paid_at) VALUES
  (1, 1, 9.99, now() - interval '2 days'),
  (2, 2, 19.99, now() - interval '1 day'),
  (3, 3, 29.99, now());

INSERT INTO subscriptions (id, user_id, plan_type, start_date, end_date) VALUES
  (1, 1, 'basic', date_trunc('day', now()), date_trunc('day', now()) + interval '1 month'),
  (2, 2, 'premium', date_trunc('day', now()), date_trunc('day', now()) + interval '1 month'),
  (3, 3, 'family', date_trunc('day', now()), date_trunc('day', now()) + interval '1 month');

SELECT setval(pg_get_serial_sequence('users', 'id'), (SELECT max(id) FROM users));
SELECT setval(pg_get_serial_sequence('movies', 'id'), (SELECT max(id) FROM movies));
SELECT setval(pg_get_serial_sequence('payments', 'id'), (SELECT max(id) FROM payments));
SELECT setval(pg_get_serial_sequence('subscriptions', 'id'), (SELECT max(id) FROM subscriptions));
