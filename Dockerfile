# One image for every PolicyVault service; docker-compose.yml picks the entry point per service.
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
# The build bundles the admin UI into dist/apps/admin-ui (Vite is a dev dependency: bundled before the prune);
# the gateway serves it from there.
RUN npm run build && test -f dist/apps/admin-ui/index.html && npm prune --omit=dev

FROM node:22-bookworm-slim
ENV NODE_ENV=production HOST=0.0.0.0
WORKDIR /app
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/package.json ./package.json
COPY --from=build /app/tools/scripts ./tools/scripts
USER node
