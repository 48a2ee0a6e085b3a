# syntax=docker/dockerfile:1
# One Dockerfile for the five services; build arguments say which one. From the repository
# root, which is the build context, e.g. the movies service:
#   docker build -t cinemaabyss/movies-service --build-arg SERVICE_DIR=subgraphs/movies \
#     --build-arg SERVICE_PORT=8081 --build-arg HEALTH_PATH=/api/movies/health .
# docker-compose.yml and .github/workflows/images.yml pass each service's arguments.
# The image runs the compiled JavaScript (`node dist/index.js`) with production dependencies
# only: no TypeScript, no tsx, no build tooling.
ARG NODE_IMAGE=node:24-bookworm-slim

# Production dependencies: those of one workspace and @cinemaabyss/shared only.
FROM ${NODE_IMAGE} AS deps
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
# Development tooling: only its manifests, which npm ci checks; none of its code or jars.
COPY tools/local-infra/package.json tools/local-infra/
COPY tools/supergraph/package.json tools/supergraph/
COPY tools/web-build/package.json tools/web-build/
RUN --mount=type=cache,target=/root/.npm \
    npm ci --omit=dev --workspace "${SERVICE_DIR}" --include-workspace-root=false \
      --no-audit --no-fund

# Compilation: every dependency, the sources, then tsc (and, for the gateway, the browser
# bundles of its playground and status page). Nothing of this stage but its dist/ folders reaches the image.
FROM deps AS build
ARG SERVICE_DIR
RUN --mount=type=cache,target=/root/.npm npm ci --no-audit --no-fund
COPY . .
RUN npx tsc -b "${SERVICE_DIR}/tsconfig.build.json" \
 && if [ "${SERVICE_DIR}" = gateway ]; then \
      npx tsc -b tools/web-build/tsconfig.build.json && node tools/web-build/dist/cli.js; \
    fi \
 && rm -rf "${SERVICE_DIR}/src" "${SERVICE_DIR}/playground" "${SERVICE_DIR}/status-page" \
      "${SERVICE_DIR}/node_modules" \
      "${SERVICE_DIR}"/tsconfig*.json

# Runtime: the production install, the compiled code and the files the service reads (its
# migrations, seed, schema; the supergraph), owned by root and read-only for the app user.
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
WORKDIR /app
COPY --from=deps /app ./
COPY --from=build /app/packages/shared/dist packages/shared/dist
COPY --from=build /app/${SERVICE_DIR} ${SERVICE_DIR}
# The supergraph the gateway serves (and watches); a few kilobytes the other services ignore.
# With NODE_ENV=production the gateway's GraphiQL playground is off.
COPY supergraph.graphql ./
WORKDIR /app/${SERVICE_DIR}
# The official image's `node` user, by number so Kubernetes' runAsNonRoot can verify it.
USER 1000:1000
EXPOSE ${SERVICE_PORT}
HEALTHCHECK --interval=10s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + process.env.PORT + process.env.HEALTH_PATH).then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
CMD ["node", "--enable-source-maps", "dist/index.js"]
