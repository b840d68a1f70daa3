# syntax=docker/dockerfile:1
# The web app behind nginx: built with the same `cargo xtask build-web` as the quick start
# and CI, then served as static files; nginx proxies the API routes to the `api` service.
FROM rust:1.95-bookworm AS build
# npm, for the wasm-opt (binaryen) that build-web installs: without it the app ships about a
# quarter larger, over its 400 KiB gzipped budget.
RUN apt-get update && apt-get install -y --no-install-recommends nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN cargo xtask build-web --locked

FROM nginx:1.27-alpine
# The image renders templates with the environment at start (docker-compose.yml sets it).
COPY docker/nginx.conf.template /etc/nginx/templates/default.conf.template
COPY --from=build /src/frontend/dist /usr/share/nginx/html
EXPOSE 80 443
HEALTHCHECK --interval=10s --timeout=3s CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/nginx-health"]
