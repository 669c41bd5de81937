package io.flotilla.web.problems;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/** Limits of what a Flotilla servlet service accepts ({@code flotilla.web.*}). */
@ConfigurationProperties("flotilla.web")
public class WebProblemsProperties {

    /** Largest request body accepted; larger ones are answered 413 before they are read. */
    private DataSize maxRequestBody = DataSize.ofMegabytes(1);

    public DataSize getMaxRequestBody() {
        return maxRequestBody;
    }

    public void setMaxRequestBody(DataSize maxRequestBody) {
        this.maxRequestBody = maxRequestBody;
    }
}
