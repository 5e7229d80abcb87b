# syntax=docker/dockerfile:1
# sipas: multi-stage image. Build: docker build -t sipas .   Run: see docker-compose.yml

############################ builder ############################
FROM rust:1-bookworm AS builder

RUN apt-get update \
 && apt-get install -y --no-install-recommends pkg-config libssl-dev \
 && rm -rf /var/lib/apt/lists/*

WORKDIR /src

# 1. Dependencies only (cached while Cargo.toml/Cargo.lock are unchanged).
COPY Cargo.toml Cargo.lock ./
RUN mkdir src \
 && echo 'fn main() {}' > src/main.rs \
 && cargo build --release --locked \
 && rm -rf src

# 2. The application itself.
COPY . .
# Make sure cargo sees the real sources as newer than the placeholder build.
RUN find src -name '*.rs' -exec touch {} + \
 && cargo build --release --locked \
 && cp target/release/sipas /usr/local/bin/sipas

############################ runtime ############################
FROM debian:bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends ca-certificates libssl3 \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system sipas \
 && useradd --system --gid sipas --home-dir /app --no-create-home --shell /usr/sbin/nologin sipas

WORKDIR /app

COPY --from=builder /usr/local/bin/sipas /usr/local/bin/sipas
COPY --from=builder /src/survey-templates /app/survey-templates
COPY --from=builder /src/examples /app/examples

RUN mkdir -p /app/data && chown sipas:sipas /app/data

ENV SIPAS_BIND=0.0.0.0:8080
EXPOSE 8080
VOLUME ["/app/data"]

USER sipas
CMD ["sipas", "serve"]
