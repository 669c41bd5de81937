package io.flotilla.tx.it.ledger;

class InsufficientFundsException extends RuntimeException {

    InsufficientFundsException(String account, long amount) {
        super("account " + account + " cannot pay " + amount);
    }
}
