package io.flotilla.examples.seatastyle.wallet;

/** The wallet has less available than a debit asks for. */
public class InsufficientFundsException extends RuntimeException {

    public InsufficientFundsException(String owner, long amount) {
        super("The wallet of '" + owner + "' has less than " + amount + " available");
    }
}
