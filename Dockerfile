# recert serve in a container: the binary only (the bundled packs and
# plugins are compiled into it), run as a non-root user on a distroless base.
#
#   docker build --build-arg RECERT_BUILD_REVISION=$(git rev-parse HEAD) -t recert .
#   docker run --rm -p 8080:8080 -v "$PWD/tokens:/etc/recert/tokens/tokens:ro" recert
#
# Listening on 0.0.0.0 needs --tokens FILE (or, deliberately,
# --allow-unauthenticated); see the README, "Running as a service".

FROM rust:1.95-bookworm AS build
# The bundled plugins are WebAssembly components built by plugins/bundled/build.rs.
RUN rustup target add wasm32-wasip2
# Every report names the source revision (engine.revision); .git is not in
# the build context, so pass it (else reports say `unknown`).
ARG RECERT_BUILD_REVISION=
ENV RECERT_BUILD_REVISION=${RECERT_BUILD_REVISION}
WORKDIR /src
COPY . .
RUN cargo build --release --locked --bin recert \
 && install -D -m 0755 target/release/recert /out/recert

FROM gcr.io/distroless/cc-debian12:nonroot
COPY --from=build /out/recert /usr/local/bin/recert
# distroless's "nonroot" user, by number so that Kubernetes can check runAsNonRoot.
USER 65532:65532
ENV RECERT_CACHE_DIR=/home/nonroot/.cache/recert
EXPOSE 8080
ENTRYPOINT ["/usr/local/bin/recert"]
CMD ["serve", "--listen", "0.0.0.0:8080", "--tokens", "/etc/recert/tokens/tokens"]
