package io.flotilla.examples.seatastyle.wallet;

/** No wallet has this owner. */
public class WalletNotFoundException extends RuntimeException {

    public WalletNotFoundException(String owner) {
        super("No wallet of '" + owner + "'");
    }
}
