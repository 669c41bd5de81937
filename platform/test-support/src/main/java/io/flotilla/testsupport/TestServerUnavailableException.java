package io.flotilla.testsupport;

/**
 * Thrown when a test needs a real server (or a facility of the machine, such as iptables) and none can be found.
 * The message says how to provide one; tests fail with it rather than skip, so a missing server is never
 * mistaken for a passing suite.
 */
public class TestServerUnavailableException extends IllegalStateException {

    public TestServerUnavailableException(String message) {
        super(message);
    }
}
