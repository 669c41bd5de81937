package io.flotilla.testsupport;

/**
 * Where a test server was found, in the order the fixtures try: an explicit URL from the environment, a
 * Testcontainers container when Docker is available, the local server on its default port.
 */
public enum ServerLocation {
    ENVIRONMENT,
    TESTCONTAINERS,
    LOCAL
}
