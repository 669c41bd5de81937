package io.flotilla.tx.xa;

import javax.transaction.xa.Xid;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The XA branch id of a Flotilla branch: the global xid as the global transaction id, and the branch id plus the
 * participant's recovery tag as the branch qualifier. The tag lets recovery pick out its own in-doubt branches on
 * a database server shared with other applications (MariaDB's {@code XA RECOVER} lists the whole server's).
 */
public record FlotillaXid(String xid, String branchId, String tag) implements Xid {

    /** "FLTX": marks branches this starter created. */
    public static final int FORMAT_ID = 0x464C5458;

    private static final char SEPARATOR = '|';

    public FlotillaXid {
        if (xid.getBytes(StandardCharsets.UTF_8).length > MAXGTRIDSIZE) {
            throw new IllegalArgumentException("xid longer than " + MAXGTRIDSIZE + " bytes: " + xid);
        }
        if ((branchId + SEPARATOR + tag).getBytes(StandardCharsets.UTF_8).length > MAXBQUALSIZE) {
            throw new IllegalArgumentException("branch id and recovery tag longer than " + MAXBQUALSIZE + " bytes: "
                    + branchId + SEPARATOR + tag);
        }
        if (branchId.indexOf(SEPARATOR) >= 0) {
            throw new IllegalArgumentException("branch id contains '" + SEPARATOR + "': " + branchId);
        }
    }

    /** Reads back a branch this starter created, or returns {@code null} for anyone else's. */
    public static FlotillaXid from(Xid xid) {
        if (xid.getFormatId() != FORMAT_ID) {
            return null;
        }
        String qualifier = new String(xid.getBranchQualifier(), StandardCharsets.UTF_8);
        int separator = qualifier.indexOf(SEPARATOR);
        if (separator < 0) {
            return null;
        }
        return new FlotillaXid(new String(xid.getGlobalTransactionId(), StandardCharsets.UTF_8),
                qualifier.substring(0, separator), qualifier.substring(separator + 1));
    }

    @Override
    public int getFormatId() {
        return FORMAT_ID;
    }

    @Override
    public byte[] getGlobalTransactionId() {
        return xid.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] getBranchQualifier() {
        return (branchId + SEPARATOR + tag).getBytes(StandardCharsets.UTF_8);
    }

    /** Equal to any {@link Xid} with the same three parts, as the XA specification compares them. */
    public boolean sameAs(Xid other) {
        return other.getFormatId() == FORMAT_ID
                && Arrays.equals(other.getGlobalTransactionId(), getGlobalTransactionId())
                && Arrays.equals(other.getBranchQualifier(), getBranchQualifier());
    }
}
