package io.flotilla.tx.config;

/** A participant would expose its phase-two endpoints with no key to check the coordinator's signatures. */
public class MissingSigningKeysException extends IllegalStateException {

    public MissingSigningKeysException() {
        super("The phase-two endpoints need " + ParticipantSignatureAutoConfiguration.KEYS_PROPERTY
                + " to check the coordinator's signatures");
    }
}
