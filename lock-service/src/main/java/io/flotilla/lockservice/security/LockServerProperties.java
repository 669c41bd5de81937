package io.flotilla.lockservice.security;

import org.springframework.boot.context.properties.ConfigurationProperties;

/** Settings of the lock service itself ({@code flotilla.lock.server.*}), beside the lock starter's. */
@ConfigurationProperties("flotilla.lock.server")
public class LockServerProperties {

    /** Bearer token every write (acquire, renew, release) must carry; empty leaves writes open. Reads stay open. */
    private String token = "";

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token;
    }
}
