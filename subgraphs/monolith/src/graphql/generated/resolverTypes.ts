import type { GraphQLResolveInfo } from 'graphql';
import type { LegacyMovie as LegacyMovieModel, LegacyUser as LegacyUserModel, LegacyPayment as LegacyPaymentModel, LegacySubscription as LegacySubscriptionModel } from '../../legacy/legacyTypes';
import type { MonolithContext } from '../context';
export type Maybe<T> = T | null;
export type InputMaybe<T> = Maybe<T>;
export type RequireFields<T, K extends keyof T> = Omit<T, K> & { [P in K]-?: NonNullable<T[P]> };
/** All built-in and custom scalars, mapped to their actual values */
export type Scalars = {
  ID: { input: string; output: string | number; }
  String: { input: string; output: string; }
  Boolean: { input: boolean; output: boolean; }
  Int: { input: number; output: number; }
  Float: { input: number; output: number; }
  _FieldSet: { input: unknown; output: unknown; }
};

export type CreatePaymentInput = {
  amount: Scalars['Float']['input'];
  userId: Scalars['ID']['input'];
};

export type CreateSubscriptionInput = {
  /** RFC 3339 date-time or YYYY-MM-DD, not before startDate. */
  endDate: Scalars['String']['input'];
  planType: Scalars['String']['input'];
  /** RFC 3339 date-time or YYYY-MM-DD. */
  startDate: Scalars['String']['input'];
  userId: Scalars['ID']['input'];
};

export type CreateUserInput = {
  email: Scalars['String']['input'];
  username: Scalars['String']['input'];
};

export type Movie = {
  __typename?: 'Movie';
  description?: Maybe<Scalars['String']['output']>;
  genres: Array<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** The editorial rating, 0–10. */
  rating?: Maybe<Scalars['Float']['output']>;
  title: Scalars['String']['output'];
};

export type Mutation = {
  __typename?: 'Mutation';
  /** Needs the payments:write scope. */
  createPayment?: Maybe<Payment>;
  /** Needs the subscriptions:write scope. */
  createSubscription?: Maybe<UserSubscription>;
  createUser: User;
};


export type MutationCreatePaymentArgs = {
  input: CreatePaymentInput;
};


export type MutationCreateSubscriptionArgs = {
  input: CreateSubscriptionInput;
};


export type MutationCreateUserArgs = {
  input: CreateUserInput;
};

export type Payment = {
  __typename?: 'Payment';
  amount: Scalars['Float']['output'];
  id: Scalars['ID']['output'];
  /** RFC 3339, set by the monolith when the payment is recorded. */
  timestamp: Scalars['String']['output'];
  user: User;
};

export type Query = {
  __typename?: 'Query';
  /** Null when no movie has this id. */
  movie?: Maybe<Movie>;
  /** Movies ordered by id. limit: 1–500 (default 20); offset ≥ 0. */
  movies: Array<Movie>;
  /** A user's payments, oldest first. limit: 1–500 (default 20); offset ≥ 0. Signed-in callers only. */
  payments?: Maybe<Array<Payment>>;
  /** A user's subscriptions, oldest first. limit: 1–500 (default 20); offset ≥ 0. Signed-in callers only. */
  subscriptions?: Maybe<Array<UserSubscription>>;
  /** Null when no user has this id. */
  user?: Maybe<User>;
  /** Users by id. limit: 1–500 (default 20); offset ≥ 0. */
  users: Array<User>;
};


export type QueryMovieArgs = {
  id: Scalars['ID']['input'];
};


export type QueryMoviesArgs = {
  genre?: InputMaybe<Scalars['String']['input']>;
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};


export type QueryPaymentsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  userId: Scalars['ID']['input'];
};


export type QuerySubscriptionsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
  userId: Scalars['ID']['input'];
};


export type QueryUserArgs = {
  id: Scalars['ID']['input'];
};


export type QueryUsersArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};

/** A customer of the legacy monolith, which stays the owner; this subgraph reads and writes it over REST. */
export type User = {
  __typename?: 'User';
  /** Signed-in callers only (null for anyone else); docs/security.md. */
  email?: Maybe<Scalars['String']['output']>;
  id: Scalars['ID']['output'];
  /** Oldest first. limit: 1–500 (default 20); offset ≥ 0. Signed-in callers only. */
  payments?: Maybe<Array<Payment>>;
  /** Oldest first. limit: 1–500 (default 20); offset ≥ 0. Signed-in callers only. */
  subscriptions?: Maybe<Array<UserSubscription>>;
  username: Scalars['String']['output'];
};


/** A customer of the legacy monolith, which stays the owner; this subgraph reads and writes it over REST. */
export type UserPaymentsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};


/** A customer of the legacy monolith, which stays the owner; this subgraph reads and writes it over REST. */
export type UserSubscriptionsArgs = {
  limit?: InputMaybe<Scalars['Int']['input']>;
  offset?: InputMaybe<Scalars['Int']['input']>;
};

/**
 * A user's plan (`/api/subscriptions` in REST). Not named `Subscription`: GraphQL reserves that
 * name for the subscription root type, and composition refuses a type that shadows it.
 */
export type UserSubscription = {
  __typename?: 'UserSubscription';
  /** Whether now lies between startDate (inclusive) and endDate (exclusive). */
  active: Scalars['Boolean']['output'];
  /** RFC 3339. */
  endDate: Scalars['String']['output'];
  id: Scalars['ID']['output'];
  planType: Scalars['String']['output'];
  /** RFC 3339. */
  startDate: Scalars['String']['output'];
  user: User;
};



export type ResolverTypeWrapper<T> = Promise<T> | T;

export type ReferenceResolver<TResult, TReference, TContext> = (
      reference: TReference,
      context: TContext,
      info: GraphQLResolveInfo
    ) => Promise<TResult> | TResult;

      type ScalarCheck<T, S> = S extends true ? T : NullableCheck<T, S>;
      type NullableCheck<T, S> = Maybe<T> extends T ? Maybe<ListCheck<NonNullable<T>, S>> : ListCheck<T, S>;
      type ListCheck<T, S> = T extends (infer U)[] ? NullableCheck<U, S>[] : GraphQLRecursivePick<T, S>;
      export type GraphQLRecursivePick<T, S> = { [K in keyof T & keyof S]: ScalarCheck<T[K], S[K]> };
    

export type ResolverWithResolve<TResult, TParent, TContext, TArgs> = {
  resolve: ResolverFn<TResult, TParent, TContext, TArgs>;
};
export type Resolver<TResult, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = ResolverFn<TResult, TParent, TContext, TArgs> | ResolverWithResolve<TResult, TParent, TContext, TArgs>;

export type ResolverFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => Promise<TResult> | TResult;

export type SubscriptionSubscribeFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => AsyncIterable<TResult> | Promise<AsyncIterable<TResult>>;

export type SubscriptionResolveFn<TResult, TParent, TContext, TArgs> = (
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

export interface SubscriptionSubscriberObject<TResult, TKey extends string, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<{ [key in TKey]: TResult }, TParent, TContext, TArgs>;
  resolve?: SubscriptionResolveFn<TResult, { [key in TKey]: TResult }, TContext, TArgs>;
}

export interface SubscriptionResolverObject<TResult, TParent, TContext, TArgs> {
  subscribe: SubscriptionSubscribeFn<any, TParent, TContext, TArgs>;
  resolve: SubscriptionResolveFn<TResult, any, TContext, TArgs>;
}

export type SubscriptionObject<TResult, TKey extends string, TParent, TContext, TArgs> =
  | SubscriptionSubscriberObject<TResult, TKey, TParent, TContext, TArgs>
  | SubscriptionResolverObject<TResult, TParent, TContext, TArgs>;

export type SubscriptionResolver<TResult, TKey extends string, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> =
  | ((...args: any[]) => SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>)
  | SubscriptionObject<TResult, TKey, TParent, TContext, TArgs>;

export type TypeResolveFn<TTypes, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (
  parent: TParent,
  context: TContext,
  info: GraphQLResolveInfo
) => Maybe<TTypes> | Promise<Maybe<TTypes>>;

export type IsTypeOfResolverFn<T = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>> = (obj: T, context: TContext, info: GraphQLResolveInfo) => boolean | Promise<boolean>;

export type NextResolverFn<T> = () => Promise<T>;

export type DirectiveResolverFn<TResult = Record<PropertyKey, never>, TParent = Record<PropertyKey, never>, TContext = Record<PropertyKey, never>, TArgs = Record<PropertyKey, never>> = (
  next: NextResolverFn<TResult>,
  parent: TParent,
  args: TArgs,
  context: TContext,
  info: GraphQLResolveInfo
) => TResult | Promise<TResult>;

/** Mapping of federation types */
export type FederationTypes = {
  Movie: Movie;
  Payment: Payment;
  User: User;
  UserSubscription: UserSubscription;
};

/** Mapping of federation reference types */
export type FederationReferenceTypes = {
  Movie:
    ( { __typename: 'Movie' }
    & GraphQLRecursivePick<FederationTypes['Movie'], {"id":true}> );
  Payment:
    ( { __typename: 'Payment' }
    & GraphQLRecursivePick<FederationTypes['Payment'], {"id":true}> );
  User:
    ( { __typename: 'User' }
    & GraphQLRecursivePick<FederationTypes['User'], {"id":true}> );
  UserSubscription:
    ( { __typename: 'UserSubscription' }
    & GraphQLRecursivePick<FederationTypes['UserSubscription'], {"id":true}> );
};



/** Mapping between all available schema types and the resolvers types */
export type ResolversTypes = {
  CreatePaymentInput: CreatePaymentInput;
  Float: ResolverTypeWrapper<Scalars['Float']['output']>;
  ID: ResolverTypeWrapper<Scalars['ID']['output']>;
  CreateSubscriptionInput: CreateSubscriptionInput;
  String: ResolverTypeWrapper<Scalars['String']['output']>;
  CreateUserInput: CreateUserInput;
  Movie: ResolverTypeWrapper<LegacyMovieModel>;
  Mutation: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Payment: ResolverTypeWrapper<LegacyPaymentModel>;
  Query: ResolverTypeWrapper<Record<PropertyKey, never>>;
  Int: ResolverTypeWrapper<Scalars['Int']['output']>;
  User: ResolverTypeWrapper<LegacyUserModel>;
  UserSubscription: ResolverTypeWrapper<LegacySubscriptionModel>;
  Boolean: ResolverTypeWrapper<Scalars['Boolean']['output']>;
};

/** Mapping between all available schema types and the resolvers parents */
export type ResolversParentTypes = {
  CreatePaymentInput: CreatePaymentInput;
  Float: Scalars['Float']['output'];
  ID: Scalars['ID']['output'];
  CreateSubscriptionInput: CreateSubscriptionInput;
  String: Scalars['String']['output'];
  CreateUserInput: CreateUserInput;
  Movie: LegacyMovieModel;
  Mutation: Record<PropertyKey, never>;
  Payment: LegacyPaymentModel;
  Query: Record<PropertyKey, never>;
  Int: Scalars['Int']['output'];
  User: LegacyUserModel;
  UserSubscription: LegacySubscriptionModel;
  Boolean: Scalars['Boolean']['output'];
};

export type MovieResolvers<ContextType = MonolithContext, ParentType extends ResolversParentTypes['Movie'] = ResolversParentTypes['Movie'], FederationReferenceType extends FederationReferenceTypes['Movie'] = FederationReferenceTypes['Movie']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Movie']> | FederationReferenceType, FederationReferenceType, ContextType>;
  description?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  genres?: Resolver<Array<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  rating?: Resolver<Maybe<ResolversTypes['Float']>, ParentType, ContextType>;
  title?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type MutationResolvers<ContextType = MonolithContext, ParentType extends ResolversParentTypes['Mutation'] = ResolversParentTypes['Mutation']> = {
  createPayment?: Resolver<Maybe<ResolversTypes['Payment']>, ParentType, ContextType, RequireFields<MutationCreatePaymentArgs, 'input'>>;
  createSubscription?: Resolver<Maybe<ResolversTypes['UserSubscription']>, ParentType, ContextType, RequireFields<MutationCreateSubscriptionArgs, 'input'>>;
  createUser?: Resolver<ResolversTypes['User'], ParentType, ContextType, RequireFields<MutationCreateUserArgs, 'input'>>;
};

export type PaymentResolvers<ContextType = MonolithContext, ParentType extends ResolversParentTypes['Payment'] = ResolversParentTypes['Payment'], FederationReferenceType extends FederationReferenceTypes['Payment'] = FederationReferenceTypes['Payment']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['Payment']> | FederationReferenceType, FederationReferenceType, ContextType>;
  amount?: Resolver<ResolversTypes['Float'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  timestamp?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type QueryResolvers<ContextType = MonolithContext, ParentType extends ResolversParentTypes['Query'] = ResolversParentTypes['Query']> = {
  movie?: Resolver<Maybe<ResolversTypes['Movie']>, ParentType, ContextType, RequireFields<QueryMovieArgs, 'id'>>;
  movies?: Resolver<Array<ResolversTypes['Movie']>, ParentType, ContextType, RequireFields<QueryMoviesArgs, 'limit' | 'offset'>>;
  payments?: Resolver<Maybe<Array<ResolversTypes['Payment']>>, ParentType, ContextType, RequireFields<QueryPaymentsArgs, 'limit' | 'offset' | 'userId'>>;
  subscriptions?: Resolver<Maybe<Array<ResolversTypes['UserSubscription']>>, ParentType, ContextType, RequireFields<QuerySubscriptionsArgs, 'limit' | 'offset' | 'userId'>>;
  user?: Resolver<Maybe<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryUserArgs, 'id'>>;
  users?: Resolver<Array<ResolversTypes['User']>, ParentType, ContextType, RequireFields<QueryUsersArgs, 'limit' | 'offset'>>;
};

export type UserResolvers<ContextType = MonolithContext, ParentType extends ResolversParentTypes['User'] = ResolversParentTypes['User'], FederationReferenceType extends FederationReferenceTypes['User'] = FederationReferenceTypes['User']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['User']> | FederationReferenceType, FederationReferenceType, ContextType>;
  email?: Resolver<Maybe<ResolversTypes['String']>, ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  payments?: Resolver<Maybe<Array<ResolversTypes['Payment']>>, ParentType, ContextType, RequireFields<UserPaymentsArgs, 'limit' | 'offset'>>;
  subscriptions?: Resolver<Maybe<Array<ResolversTypes['UserSubscription']>>, ParentType, ContextType, RequireFields<UserSubscriptionsArgs, 'limit' | 'offset'>>;
  username?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
};

export type UserSubscriptionResolvers<ContextType = MonolithContext, ParentType extends ResolversParentTypes['UserSubscription'] = ResolversParentTypes['UserSubscription'], FederationReferenceType extends FederationReferenceTypes['UserSubscription'] = FederationReferenceTypes['UserSubscription']> = {
  __resolveReference?: ReferenceResolver<Maybe<ResolversTypes['UserSubscription']> | FederationReferenceType, FederationReferenceType, ContextType>;
  active?: Resolver<ResolversTypes['Boolean'], ParentType, ContextType>;
  endDate?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  id?: Resolver<ResolversTypes['ID'], ParentType, ContextType>;
  planType?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  startDate?: Resolver<ResolversTypes['String'], ParentType, ContextType>;
  user?: Resolver<ResolversTypes['User'], ParentType, ContextType>;
};

export type Resolvers<ContextType = MonolithContext> = {
  Movie?: MovieResolvers<ContextType>;
  Mutation?: MutationResolvers<ContextType>;
  Payment?: PaymentResolvers<ContextType>;
  Query?: QueryResolvers<ContextType>;
  User?: UserResolvers<ContextType>;
  UserSubscription?: UserSubscriptionResolvers<ContextType>;
};

