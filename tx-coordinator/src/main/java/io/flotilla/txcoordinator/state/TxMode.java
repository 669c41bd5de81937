package io.flotilla.txcoordinator.state;

/** How the participants take part: TCC branches are confirmed or cancelled, XA branches committed or rolled back. */
public enum TxMode {
    TCC, XA
}
