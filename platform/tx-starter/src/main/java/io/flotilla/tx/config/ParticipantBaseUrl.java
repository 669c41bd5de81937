package io.flotilla.tx.config;

import io.flotilla.tx.tcc.TccAction;
import io.flotilla.tx.tcc.TccActionStyle;
import io.flotilla.tx.xa.XaBranch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.function.Supplier;

/**
 * The address the coordinator calls this participant back at: {@code flotilla.tx.participant.base-url} when set;
 * else the address the application registered in the registry (the registry starter's {@code Registration}),
 * which is where other hosts reach it; else {@code http://localhost:<port>}, right only when the coordinator runs
 * on this host. Once the application is ready, a participant (one with {@code @TccAction} or {@code @XaBranch}
 * methods, or the tries of another {@link TccActionStyle}) whose callback address is a loopback one is warned
 * about: it is the mistake that works on a laptop and fails across hosts.
 */
class ParticipantBaseUrl implements Supplier<URI>, ApplicationListener<ApplicationReadyEvent> {

    private static final Logger log = LoggerFactory.getLogger(ParticipantBaseUrl.class);

    private final URI configured;
    private final Supplier<URI> registered;
    private final Environment environment;
    private final ListableBeanFactory beanFactory;

    /**
     * @param configured {@code flotilla.tx.participant.base-url}, or null
     * @param registered the address registered in the registry, or null while there is none
     */
    ParticipantBaseUrl(URI configured, Supplier<URI> registered, Environment environment, ListableBeanFactory beanFactory) {
        this.configured = configured;
        this.registered = registered;
        this.environment = environment;
        this.beanFactory = beanFactory;
    }

    @Override
    public URI get() {
        if (configured != null) {
            return configured;
        }
        URI address = registered.get();
        return address != null ? address : localBaseUrl();
    }

    private URI localBaseUrl() {
        String port = environment.getProperty("local.server.port", environment.getProperty("server.port", "8080"));
        return URI.create("http://localhost:" + port);
    }

    @Override
    public void onApplicationEvent(ApplicationReadyEvent event) {
        if (!hasTccActions() && !AnnotatedMethods.any(beanFactory, XaBranch.class)) {
            return;
        }
        URI callback = get();
        if (!isLoopback(callback)) {
            return;
        }
        URI address = registered.get();
        if (configured != null) {
            log.warn("flotilla.tx.participant.base-url={} is a loopback address: a coordinator on another host cannot "
                    + "call this participant's phase two back. {}", configured, address != null
                            ? "Remove it to use the address this application registered in the registry, " + address + "."
                            : "Set it to an address the coordinator reaches.");
        } else {
            log.warn("The coordinator will call this participant back at {}: flotilla.tx.participant.base-url is not set "
                    + "and the application is not registered in a registry (flotilla-registry-spring-boot-starter), so "
                    + "this works only while the coordinator runs on this host. Set flotilla.tx.participant.base-url to "
                    + "an address it reaches, or add the registry starter.", callback);
        }
    }

    /** {@code @TccAction} methods, or those of another {@link TccActionStyle} (Seata's, with flotilla-seata-compat). */
    private boolean hasTccActions() {
        return AnnotatedMethods.any(beanFactory, TccAction.class) || beanFactory.getBeanProvider(TccActionStyle.class)
            .stream().anyMatch(style -> AnnotatedMethods.any(beanFactory, style.tryAnnotation()));
    }

    private static boolean isLoopback(URI uri) {
        String host = uri.getHost();
        if (host == null) {
            return false;
        }
        if (host.equalsIgnoreCase("localhost")) {
            return true;
        }
        // Only literal addresses: a name is not resolved here (no DNS look-up at start-up).
        if (!Character.isDigit(host.charAt(0)) && !host.startsWith("[")) {
            return false;
        }
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
