# mifit-sync image: `docker compose up -d` builds it (see docker-compose.yml).
# Stage 1 compiles TypeScript with the dev dependencies; stage 2 carries only the
# production dependencies and dist/. Node major = package.json "engines" (a test checks it).

FROM node:24-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
# No install scripts: nothing the build needs has one, and the `node` devDependency
# would otherwise download a second Node binary.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
RUN node node_modules/typescript/bin/tsc -p tsconfig.build.json

FROM node:24-bookworm-slim AS runtime
# tini as PID 1: forwards SIGTERM to node and reaps zombies, so `docker stop` reaches
# the daemon's clean shutdown instead of a SIGKILL after the grace period.
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/*
# V8 sizes its heap from the machine's memory and lets garbage grow far past the ~40 MB
# that is live during a 10-year backfill; these caps keep a 10-year backfill's peak RSS near
# 200 MB instead of 380-420 MB (npm run bench measures both settings). A young generation of
# 2 x 8 MB instead of 2 x 16 MB: about 20 MB less at the peak (199 against 221 MB back to
# back), twice the scavenges for about 1 s more of pauses in 80-90 s.
# MALLOC_ARENA_MAX=2: glibc gives each thread (libuv pool, V8 helpers) its own malloc arena,
# and every arena keeps what it freed. Two arenas: idle RSS 60 s after a one-year sync
# 112 -> 103-105 MB (malloc'd memory 52 -> 44-46 MB), its peak 168-170 -> 161-164 MB
# (npm run bench, `idle` scenario, which runs the daemon with this setting).
ENV NODE_ENV=production \
    NODE_OPTIONS="--max-old-space-size=160 --max-semi-space-size=8" \
    MALLOC_ARENA_MAX=2 \
    STATE_DIR=/data \
    HTTP_HOST=0.0.0.0 \
    HTTP_PORT=8080
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
 && npm cache clean --force
COPY --from=build /app/dist ./dist
# A named volume at /data takes this directory's owner on first use (no chown needed).
RUN mkdir -p /data \
 && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8080
# /healthz: 200 once every account synced recently; fetch is built into Node, no curl.
# 503 "starting" until the first sync lands: 5 failed checks (5 min) are allowed before
# "unhealthy". docker-compose.yml adds start_period; it is not set here because
# dockerfilelint 1.8 rejects --start-period (its option regex stops at the hyphen).
HEALTHCHECK --interval=60s --timeout=10s --retries=5 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.HTTP_PORT||8080)+'/healthz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["/usr/bin/tini", "--", "node", "dist/cli.js"]
CMD ["daemon"]
