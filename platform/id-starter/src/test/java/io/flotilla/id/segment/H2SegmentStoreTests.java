package io.flotilla.id.segment;

import java.nio.file.Path;

import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file, as id-service keeps it by default (AUTO_SERVER lets a second process in). */
class H2SegmentStoreTests extends SegmentStoreContract {

    @TempDir
    Path directory;

    @Override
    String[] database() {
        return new String[] { "jdbc:h2:file:" + directory.resolve("segments") + ";AUTO_SERVER=TRUE", "sa", "" };
    }
}
