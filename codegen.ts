import type { CodegenConfig } from '@graphql-codegen/cli';

/**
 * Resolver argument and result types generated from each subgraph's schema.graphql
 * (`npm run codegen`; `npm run lint` fails when a committed file is stale).
 */
const resolverTypes = {
  plugins: ['typescript', 'typescript-resolvers'],
  config: {
    federation: true,
    useTypeImports: true,
    // Arguments with a schema default always arrive, so they are not optional.
    avoidOptionals: { field: false, inputValue: false, object: false, defaultValue: true },
    enumsAsTypes: true,
    // Imported model types are named Movie → MovieModel, apart from the schema's own.
    mapperTypeSuffix: 'Model',
    // Ids leave the resolvers as the database's numbers; GraphQL serializes them as strings.
    scalars: { ID: { input: 'string', output: 'string | number' } },
  },
};

const config: CodegenConfig = {
  overwrite: true,
  generates: {
    'subgraphs/movies/src/graphql/generated/resolverTypes.ts': {
      schema: 'subgraphs/movies/schema.graphql',
      ...resolverTypes,
      config: {
        ...resolverTypes.config,
        contextType: '../context#MoviesContext',
        // The shapes resolvers return, which the field resolvers then read.
        mappers: {
          Movie: '@cinemaabyss/shared/movies#Movie',
          Rating: '../../ratings/ratingsRepository#Rating',
          User: '../context#UserReference',
        },
      },
    },
    'subgraphs/monolith/src/graphql/generated/resolverTypes.ts': {
      schema: 'subgraphs/monolith/schema.graphql',
      ...resolverTypes,
      config: {
        ...resolverTypes.config,
        contextType: '../context#MonolithContext',
        mappers: {
          Movie: '../../legacy/legacyTypes#LegacyMovie',
          User: '../../legacy/legacyTypes#LegacyUser',
          Payment: '../../legacy/legacyTypes#LegacyPayment',
          UserSubscription: '../../legacy/legacyTypes#LegacySubscription',
        },
      },
    },
  },
};

export default config;
