package org.uwskit.definition;

import java.nio.file.Path;

/**
 * A job definition file that cannot be loaded: the message names the file, the place in it (a JSON pointer, RFC
 * 6901, or for a VOTable file the path of the element such as {@code /VOTABLE/RESOURCE[@name='x']/PARAM[@name='y']},
 * and the line and column) and what is wrong, e.g.
 * {@code gzip.json: /parameters/LEVEL/default (line 9, column 18): LEVEL: 12 is above the maximum 9}.
 */
public final class DefinitionException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String pointer;
    private final int line;
    private final int column;
    private final String problem;

    /**
     * @param file    the definition file
     * @param pointer the JSON pointer of the offending value ({@code ""} for the whole document)
     * @param line    its line (1-based), or 0 if not known
     * @param column  its column (1-based), or 0 if not known
     * @param problem what is wrong
     */
    public DefinitionException(Path file, String pointer, int line, int column, String problem) {
        super(file + ": " + (pointer.isEmpty() ? "/" : pointer)
                + (line > 0 ? " (line " + line + ", column " + column + ")" : "") + ": " + problem);
        this.file = file;
        this.pointer = pointer;
        this.line = line;
        this.column = column;
        this.problem = problem;
    }

    /** @return the definition file */
    public Path file() {
        return file;
    }

    /** @return the JSON pointer of the offending value, {@code ""} for the document itself */
    public String pointer() {
        return pointer;
    }

    /** @return the line of the offending value (1-based), 0 if not known */
    public int line() {
        return line;
    }

    /** @return the column of the offending value (1-based), 0 if not known */
    public int column() {
        return column;
    }

    /** @return what is wrong, without the place */
    public String problem() {
        return problem;
    }
}
