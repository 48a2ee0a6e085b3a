# syntax=docker/dockerfile:1
# One Dockerfile for the five services; build arguments say which one. From the repository
# root, which is the build context, e.g. the movies service:
#   docker build -t cinemaabyss/movies-service --build-arg SERVICE_DIR=subgraphs/movies \
#     --build-arg SERVICE_PORT=8081 --build-arg HEALTH_PATH=/api/movies/health .
# docker-compose.yml and .github/workflows/images.yml pass each service's arguments.
# The sources are TypeScript run by tsx, exactly as `npm start` runs them.
ARG NODE_IMAGE=node:20-bookworm-slim

# Dependencies: the production dependencies of one workspace and @cinemaabyss/shared only.
FROM ${NODE_IMAGE} AS build
# The workspace folder: gateway, legacy-monolith, subgraphs/movies, subgraphs/monolith, events.
ARG SERVICE_DIR
RUN test -n "${SERVICE_DIR}" \
 || { echo 'Set --build-arg SERVICE_DIR (and SERVICE_PORT, HEALTH_PATH): see the comment at the top' >&2; exit 1; }
WORKDIR /app
# Every workspace's manifest (npm ci checks them against the lockfile), no sources yet, so
# this layer and the install below are rebuilt only when dependencies change.
COPY package.json package-lock.json ./
COPY packages/shared/package.json packages/shared/
COPY legacy-monolith/package.json legacy-monolith/
COPY subgraphs/movies/package.json subgraphs/movies/
COPY subgraphs/monolith/package.json subgraphs/monolith/
COPY gateway/package.json gateway/
COPY events/package.json events/
# Development tooling: only its manifest, which npm ci checks; none of its code or jars.
COPY tools/local-infra/package.json tools/local-infra/
# tsx is a root devDependency; this pins the lockfile's version into the image.
ARG TSX_VERSION=4.23.15
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --workspace "${SERVICE_DIR}" --include-workspace-root=false \
      --no-audit --no-fund \
 && npm install --no-save --omit=dev --workspace "${SERVICE_DIR}" --include-workspace-root=false \
      --no-audit --no-fund tsx@${TSX_VERSION}
COPY packages/shared/ packages/shared/
COPY ${SERVICE_DIR}/ ${SERVICE_DIR}/
# The supergraph the gateway serves (and watches); a few kilobytes the other services ignore.
# With NODE_ENV=production the gateway's GraphiQL playground is off, so nothing is bundled.
COPY supergraph.graphql ./

# Runtime: the installed tree and the sources, owned by root and read-only for the app user.
FROM ${NODE_IMAGE} AS runtime
ARG SERVICE_DIR
ARG SERVICE_PORT
ARG HEALTH_PATH
RUN test -n "${SERVICE_PORT}" -a -n "${HEALTH_PATH}" \
 || { echo 'Set --build-arg SERVICE_PORT and HEALTH_PATH: see the comment at the top' >&2; exit 1; }
# HEALTH_PATH stays in the environment for the health check, which runs in the container.
ENV NODE_ENV=production \
    PORT=${SERVICE_PORT} \
    HEALTH_PATH=${HEALTH_PATH}
COPY --from=build /app /app
WORKDIR /app/${SERVICE_DIR}
# The official image's `node` user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE ${SERVICE_PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + process.env.HEALTH_PATH).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--import", "tsx", "src/index.ts"]
