# One image recipe for every Flotilla service; MODULE picks the service:
#   docker build --build-arg MODULE=registry-service -t flotilla/registry-service .
# The build stage does not depend on MODULE: it compiles every service once, and BuildKit reuses that stage for
# the other seven images docker compose builds from this file. Needs BuildKit (DOCKER_BUILDKIT=1) for the cache
# mount that keeps Maven's downloads between builds.
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -Dmaven.test.skip=true package \
        -pl registry-service,tx-coordinator,id-service,lock-service,inventory-service,order-service,gateway -am

# Temurin 25: the JDK's AOT cache (JEP 483/514/515) starts the service with its classes already loaded and linked
# and, for the two Raft services, the write path's method profiles recorded (scripts/aot-cache.sh).
FROM eclipse-temurin:25-jre
# curl is what the compose health checks call, and what drives the AOT training run's writes.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
# A fixed uid (the Kubernetes manifests' runAsUser). The data directory exists in the image, owned by that user,
# so that a named volume mounted on it starts with that owner (the engine would create a missing mount point as
# root, and the service could not write its Raft log).
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/flotilla flotilla \
    && install -d -o flotilla -g flotilla /var/lib/flotilla/data
ARG MODULE
# The layout of a checkout under /opt/flotilla, so that scripts/aot-cache.sh runs here as it does in one.
WORKDIR /opt/flotilla
COPY scripts/jvm.options scripts/aot-cache.sh scripts/
COPY --from=build /src/${MODULE}/target/${MODULE}-exec.jar ${MODULE}/target/
# The cache is made here, by the image's own JVM (a cache fits only the JVM build that made it), with the options
# of scripts/jvm.options that the entry point uses too. MALLOC_ARENA_MAX: see scripts/jvm.options.
# A training run that fails leaves the image without a cache rather than failing the build (the build log says
# so; the JVM then logs that it cannot map the cache and starts without it).
ENV MALLOC_ARENA_MAX=2 FLOTILLA_MODULE=${MODULE}
RUN scripts/aot-cache.sh "${MODULE}" \
    || echo "WARNING: no AOT cache for ${MODULE}; the service starts without one" >&2
USER flotilla
WORKDIR /var/lib/flotilla
# java @jvm.options -XX:AOTCache=<module>.aot -jar <extracted>/<module>-exec.jar; JAVA_TOOL_OPTIONS adds to these.
# Arguments given to the container (docker run IMAGE --x=y) go to the service.
ENTRYPOINT ["sh", "-c", "exec java @/opt/flotilla/scripts/jvm.options -XX:AOTCache=/opt/flotilla/$FLOTILLA_MODULE/target/$FLOTILLA_MODULE.aot -jar /opt/flotilla/$FLOTILLA_MODULE/target/aot/$FLOTILLA_MODULE-exec.jar \"$@\"", "sh"]
