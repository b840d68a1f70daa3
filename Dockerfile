# syntax=docker/dockerfile:1
FROM rust:1.95-bookworm AS build
WORKDIR /src
COPY . .
RUN cargo build --locked --release --bin tcd

FROM debian:bookworm-slim
RUN apt-get update && apt-get install -y --no-install-recommends ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --system --home /app tcd
WORKDIR /app
COPY --from=build /src/target/release/tcd /usr/local/bin/tcd
USER tcd
ENV TCD_BIND=0.0.0.0:8080 TCD_ENV=production TCD_LOG_FORMAT=json
EXPOSE 8080
HEALTHCHECK --interval=10s --timeout=3s CMD ["tcd", "healthcheck"]
ENTRYPOINT ["tcd"]
CMD ["serve"]
