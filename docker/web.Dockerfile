# syntax=docker/dockerfile:1
# The web app behind nginx: built with the same `cargo xtask build-web` as the quick start
# and CI, then served as static files; nginx proxies the API routes to the `api` service.
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo xtask build-web --locked

FROM nginx:1.27-alpine
COPY docker/nginx.conf /etc/nginx/conf.d/default.conf
COPY --from=build /src/frontend/dist /usr/share/nginx/html
EXPOSE 80
HEALTHCHECK --interval=10s --timeout=3s CMD ["wget", "-q", "-O", "/dev/null", "http://127.0.0.1/healthz"]
