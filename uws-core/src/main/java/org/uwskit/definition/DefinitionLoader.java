package org.uwskit.definition;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import org.uwskit.ParameterType;

/**
 * Reads job definition files (JSON, format described by {@link #SCHEMA_RESOURCE}) into {@link LoadedDefinition}s,
 * strictly: an unknown key, a value of the wrong kind, a default outside its own range or options, an output
 * declared twice, an argument from an undeclared parameter or from an optional one without a default, a file
 * beside the definition that does not exist, and a command that is not an executable file (looked up on the PATH
 * when it is a bare name) — each is refused with a {@link DefinitionException} naming the file, the JSON pointer,
 * the line and column, and what is wrong. Immutable and thread-safe.
 *
 * <p>A file ending in {@code .yaml} or {@code .yml} holds the same tree as a JSON file, written in YAML (checked
 * and reported the same way, with YAML's lines and columns).
 *
 * <p>A file ending in {@value #VOTABLE_SUFFIX} is read as a VOTable job definition as the Paris Observatory's OPUS
 * writes it (a {@code RESOURCE} with {@code utype="voprov:ActivityDescription"}: parameters, used and generated
 * entities, execution duration, a script run with the values in environment variables, never in its text), mapped
 * onto the same model and checked the same way; its problems are reported at the VOTable element's path, line and
 * column. See {@link ActivityDescriptionReader} for the mapping.
 *
 * <pre>{@code
 * {"name": "checksum", "description": "SHA-256 of an uploaded file", "version": "1.0",
 *  "parameters": {"FILE": {"type": "file", "required": true, "maxSize": 10485760}},
 *  "outputs": [{"id": "stdout", "contentType": "text/plain"}],
 *  "run": {"command": "sha256sum", "arguments": ["--binary", {"upload": "FILE"}]}}
 * }</pre>
 */
public final class DefinitionLoader {
    /** The suffix of the JSON definition files {@link #loadDirectory(Path)} reads. */
    public static final String FILE_SUFFIX = ".json";
    /** The suffix of the VOTable (OPUS ActivityDescription) definition files {@link #loadDirectory(Path)} reads. */
    public static final String VOTABLE_SUFFIX = ".xml";
    /** The suffixes of the YAML definition files {@link #loadDirectory(Path)} reads (the JSON format's tree). */
    public static final java.util.List<String> YAML_SUFFIXES = java.util.List.of(".yaml", ".yml");
    /** The class-path resource holding the JSON Schema (2020-12) of the definition format. */
    public static final String SCHEMA_RESOURCE = "/org/uwskit/definition/job-definition.schema.json";
    /** The {@code $id} of that schema; a file may name it in {@code "$schema"}. */
    public static final String SCHEMA_ID = "https://uwskit.org/schemas/job-definition-1.schema.json";
    /** The type names of the file format, by {@link ParameterType}. */
    static final Map<String, ParameterType> TYPES = types();

    private final Function<String, Optional<Path>> commandLookup;

    private DefinitionLoader(Function<String, Optional<Path>> commandLookup) {
        this.commandLookup = commandLookup;
    }

    /** A loader that looks bare command names up on this process's {@code PATH}. */
    public static DefinitionLoader defaults() {
        return new DefinitionLoader(DefinitionLoader::onPath);
    }

    /**
     * A loader with its own lookup of bare command names (commands with a {@code /} are always files).
     *
     * @param commandLookup the absolute path of an executable for a name, or empty if there is none
     */
    public static DefinitionLoader withCommandLookup(Function<String, Optional<Path>> commandLookup) {
        return new DefinitionLoader(Objects.requireNonNull(commandLookup, "commandLookup"));
    }

    /** @return a new stream of the JSON Schema (2020-12) of the definition format; the caller closes it */
    public static InputStream schema() {
        return Objects.requireNonNull(DefinitionLoader.class.getResourceAsStream(SCHEMA_RESOURCE), SCHEMA_RESOURCE);
    }

    /**
     * Loads every {@value #FILE_SUFFIX}, {@value #VOTABLE_SUFFIX}, {@code .yaml} and {@code .yml} file of a
     * directory, in file name order.
     *
     * @throws DefinitionException for the first bad file, or when two files define the same name
     * @throws IOException         if the directory cannot be read
     */
    public List<LoadedDefinition> loadDirectory(Path dir) throws IOException {
        List<Path> files = new ArrayList<>();
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir,
                "*{" + FILE_SUFFIX + "," + VOTABLE_SUFFIX + "," + String.join(",", YAML_SUFFIXES) + "}")) {
            s.forEach(files::add);
        }
        files.sort(null);
        Map<String, Path> seen = new LinkedHashMap<>();
        List<LoadedDefinition> out = new ArrayList<>();
        for (Path f : files) {
            LoadedDefinition d = load(f);
            Path before = seen.putIfAbsent(d.definition().name().toLowerCase(Locale.ROOT), f);
            if (before != null) {
                throw new DefinitionException(f, "/name", 0, 0, "the job type " + d.definition().name()
                        + " is already defined by " + before.getFileName());
            }
            out.add(d);
        }
        return out;
    }

    /**
     * Loads one definition file: a VOTable ActivityDescription if its name ends in {@value #VOTABLE_SUFFIX}, YAML
     * if it ends in {@code .yaml} or {@code .yml} (case-insensitive), else JSON.
     *
     * @throws DefinitionException naming the place and the problem
     * @throws IOException         if the file cannot be read
     */
    public LoadedDefinition load(Path file) throws IOException {
        JsonNode root;
        try (InputStream in = Files.newInputStream(file)) {
            String fileName = file.getFileName().toString().toLowerCase(Locale.ROOT);
            if (fileName.endsWith(VOTABLE_SUFFIX)) {
                root = new ActivityDescriptionReader(file).toDefinition(VoTableElement.read(file, in));
            } else if (YAML_SUFFIXES.stream().anyMatch(fileName::endsWith)) {
                root = JsonNode.readYaml(file, in);
            } else {
                root = JsonNode.read(file, in);
            }
        }
        return new DefinitionReader(file, commandLookup).read(root);
    }

    /** The absolute path of an executable regular file called {@code name} in a PATH directory, if any. */
    static Optional<Path> onPath(String name) {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, name).toAbsolutePath();
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    private static Map<String, ParameterType> types() {
        Map<String, ParameterType> m = new LinkedHashMap<>();
        for (ParameterType t : ParameterType.values()) {
            m.put(t.name().toLowerCase(Locale.ROOT), t);
        }
        return java.util.Collections.unmodifiableMap(m);
    }
}
