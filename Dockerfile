# One image recipe for every Flotilla service: docker compose builds it once per service with a different MODULE.
#   docker build --build-arg MODULE=registry-service -t flotilla/registry-service .
# The build stage compiles only that module and what it depends on; the runtime stage holds one runnable jar.
FROM eclipse-temurin:21-jdk AS build
ARG MODULE
WORKDIR /src
COPY . .
RUN --mount=type=cache,target=/root/.m2 ./mvnw -B -q -pl "${MODULE}" -am package -DskipTests \
    && cp "${MODULE}"/target/*-exec.jar /app.jar

FROM eclipse-temurin:21-jre
# curl is what the compose health checks call.
RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*
RUN useradd --system --create-home --home-dir /var/lib/flotilla flotilla
USER flotilla
WORKDIR /var/lib/flotilla
COPY --from=build /app.jar /opt/flotilla/app.jar
ENTRYPOINT ["java", "-XX:MaxRAMPercentage=60", "-jar", "/opt/flotilla/app.jar"]
