package io.flotilla.lockservice;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/** Distributed locks with fencing tokens over REST, for clients in any language. */
@SpringBootApplication
public class LockServiceApplication {

    public static void main(String[] args) {
        SpringApplication.run(LockServiceApplication.class, args);
    }
}
