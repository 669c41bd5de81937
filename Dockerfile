# One image recipe for every Flotilla service; MODULE picks the service:
#   docker build --build-arg MODULE=registry-service -t flotilla/registry-service .
# The build stage does not depend on MODULE: it compiles every service once, and BuildKit reuses that stage for
# the other seven images docker compose builds from this file. Needs BuildKit (DOCKER_BUILDKIT=1) for the cache
# mount that keeps Maven's downloads between builds.
FROM eclipse-temurin:21-jdk AS build
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -Dmaven.test.skip=true package \
        -pl registry-service,tx-coordinator,id-service,lock-service,inventory-service,order-service,gateway -am

FROM eclipse-temurin:21-jre
# curl is what the compose health checks call.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
# A fixed uid (the Kubernetes manifests' runAsUser). The data directory exists in the image, owned by that user,
# so that a named volume mounted on it starts with that owner (the engine would create a missing mount point as
# root, and the service could not write its Raft log).
RUN useradd --system --uid 10001 --create-home --home-dir /var/lib/flotilla flotilla \
    && install -d -o flotilla -g flotilla /var/lib/flotilla/data
USER flotilla
WORKDIR /var/lib/flotilla
ARG MODULE
COPY --from=build /src/${MODULE}/target/${MODULE}-exec.jar /opt/flotilla/app.jar
# Serial GC: a dozen small JVMs share a few cores in the compose stack. JAVA_TOOL_OPTIONS adds to these.
ENTRYPOINT ["java", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=60", "-jar", "/opt/flotilla/app.jar"]
