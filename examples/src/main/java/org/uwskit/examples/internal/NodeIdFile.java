package org.uwskit.examples.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Pattern;

/**
 * The engine node id of a data directory, kept in the file {@value #FILE_NAME}: created once with a random id, read
 * back by every later start, so a server restarted on the same data directory is the same engine node and recovers
 * the jobs its previous incarnation held. Stateless; not meant for two processes creating the file at once (the
 * first one wins: the file is never overwritten).
 */
public final class NodeIdFile {
    /** The file in the data directory. */
    public static final String FILE_NAME = "node-id";
    /** What a node id may look like (the engine names its threads after it). */
    public static final Pattern NODE_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final SecureRandom RANDOM = new SecureRandom();

    private NodeIdFile() {
    }

    /**
     * Reads the node id of {@code dataDir}, creating it first if missing.
     *
     * @throws IllegalStateException if the file exists but does not hold a node id (it names the file and the rule)
     * @throws IOException           if the file cannot be read or written
     */
    public static String readOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (!Files.exists(file)) {
            byte[] bytes = new byte[6];
            RANDOM.nextBytes(bytes);
            String fresh = "node-" + HexFormat.of().formatHex(bytes);
            Path tmp = Files.createTempFile(dataDir, FILE_NAME, ".tmp");
            try {
                Files.writeString(tmp, fresh + "\n", StandardCharsets.UTF_8);
                try {
                    // a hard link appears complete or not at all, and never replaces an existing file
                    Files.createLink(file, tmp);
                } catch (FileAlreadyExistsException e) {
                    // created meanwhile: keep the existing one
                } catch (UnsupportedOperationException e) {
                    Files.move(tmp, file);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
        String id = Files.readString(file, StandardCharsets.UTF_8).strip();
        if (!NODE_ID.matcher(id).matches()) {
            throw new IllegalStateException("the node id file " + file + " holds '" + id + "', which does not match "
                    + NODE_ID + "; fix or delete it");
        }
        return id;
    }
}
