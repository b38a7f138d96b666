# syntax=docker/dockerfile:1

# Countersign: one image for both processes.
#   API (default):   node dist/src/main.js    (WORKERS=off to serve HTTP only)
#   workers only:    node dist/src/worker.js
# Both create the database if missing and run pending migrations at start.

ARG NODE_IMAGE=node:20-bookworm-slim

# ---- build: all dependencies, compile TypeScript to dist/ ----
FROM ${NODE_IMAGE} AS build
WORKDIR /app

COPY package.json package-lock.json ./
# --ignore-scripts: the project needs no install scripts (@swc/core ships its binaries as optional
# packages, msgpackr falls back to JavaScript), and the slim image has no compiler for node-gyp.
RUN npm ci --ignore-scripts --no-audit --no-fund

COPY . .
RUN npm run build

# ---- runtime: production dependencies and the compiled app only ----
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production
WORKDIR /app

# package.json is needed at runtime too: its "type": "module" makes dist/ load as ES modules.
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund \
  && npm cache clean --force

COPY --from=build /app/dist ./dist

# The files stay owned by root; the process runs as the image's unprivileged "node" user.
USER node

EXPOSE 3000
CMD ["node", "--max-old-space-size=256", "dist/src/main.js"]
