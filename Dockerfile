# syntax=docker/dockerfile:1
# timestamp-service container image: TCP and UDP on 21567, actuator HTTP on 8080.
#
#   docker build -t timestamp-service .
#   docker run --rm -p 21567:21567/tcp -p 21567:21567/udp -p 8080:8080 timestamp-service

# ---- build: the Maven wrapper on a JDK (bytecode stays release 17) ----
FROM eclipse-temurin:25-jdk AS build
WORKDIR /src
COPY .mvn/ .mvn/
COPY mvnw pom.xml ./
RUN ./mvnw -B -q dependency:go-offline
COPY src/ src/
RUN ./mvnw -B -q -DskipTests package && cp target/timestamp-service-*.jar /app.jar
# Spring Boot's layered extraction: dependencies change rarely, the application often.
WORKDIR /extract
RUN java -Djarmode=tools -jar /app.jar extract --layers --destination extracted --application-filename app.jar

# ---- runtime: a JRE of the current LTS ----
FROM eclipse-temurin:25-jre
ARG VERSION=0.1.0-SNAPSHOT
LABEL org.opencontainers.image.title="timestamp-service" \
      org.opencontainers.image.description="TCP and UDP timestamp echo server (Spring Boot, Spring Integration, Netty)" \
      org.opencontainers.image.version="${VERSION}" \
      org.opencontainers.image.licenses="Apache-2.0"
WORKDIR /app
COPY --from=build /extract/extracted/dependencies/ ./
COPY --from=build /extract/extracted/spring-boot-loader/ ./
COPY --from=build /extract/extracted/snapshot-dependencies/ ./
COPY --from=build /extract/extracted/application/ ./
# Training run for the JVM's AOT cache, with the ENTRYPOINT's JVM flags (a test holds them
# equal): src/main/docker/aot-training.sh starts the service, serves TCP lines, pipelined
# lines, new connections, UDP datagrams, probes and a scrape from the bench in the jar, and
# stops it with SIGTERM; the JVM writes the cache as it exits. The cache then holds the
# request paths' classes and method profiles too: against a run that exits at refresh, the
# first reply came as soon (within noise) and the first six seconds under load served about
# 15 % more requests (docs/decisions.md).
# A bad reply, a lost datagram or a failed probe fails the build.
# app.jar starts from its Spring AOT output by default (docs/jvm.md), in training and at run time.
RUN --mount=type=bind,source=src/main/docker/aot-training.sh,target=/tmp/aot-training.sh bash /tmp/aot-training.sh java --enable-native-access=ALL-UNNAMED -XX:AOTCacheOutput=app.aot -XX:+UseSerialGC -XX:MaxRAMPercentage=50 -Xss512k -XX:ReservedCodeCacheSize=48m -XX:MaxDirectMemorySize=64m -jar app.jar
USER 10001:10001
EXPOSE 21567/tcp 21567/udp 21568/tcp 8080/tcp
# Container-aware memory: half the limit for the heap, the rest for direct buffers, code and
# threads (about 170 MB RSS under load in a 512 MiB container). Netty loads its native epoll
# transport, which Java 25 only allows quietly with native access enabled.
ENTRYPOINT ["java", "--enable-native-access=ALL-UNNAMED", "-XX:AOTCache=app.aot", "-XX:+UseSerialGC", "-XX:MaxRAMPercentage=50", "-Xss512k", "-XX:ReservedCodeCacheSize=48m", "-XX:MaxDirectMemorySize=64m", "-jar", "app.jar"]
