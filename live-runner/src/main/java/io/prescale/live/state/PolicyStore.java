package io.prescale.live.state;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.prescale.core.config.PolicyFile;
import io.prescale.core.config.Yaml;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Scaling policies as the sweep writes them ({@code prescale.policy/v1} YAML), one file each under
 * {@code state/policies/}, and the name of the active one in {@code state/active-policy.yaml}. Durable writes.
 */
public final class PolicyStore {
    private final Path dir;
    private final Path activeFile;
    private final int maxPolicies;

    /** @param maxPolicies policies it stores at most (files already stored past a lowered limit are kept) */
    public PolicyStore(Path stateDir, int maxPolicies) {
        if (maxPolicies < 1) throw new IllegalArgumentException("maxPolicies must be at least 1, got " + maxPolicies);
        this.dir = stateDir.resolve("policies");
        this.activeFile = stateDir.resolve("active-policy.yaml");
        this.maxPolicies = maxPolicies;
    }

    public synchronized List<PolicyFile> list() {
        List<PolicyFile> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.filter(p -> p.getFileName().toString().endsWith(".yaml")).sorted().toList()) out.add(read(f));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    public synchronized Optional<PolicyFile> get(String name) {
        Path f = file(name);
        return Files.isRegularFile(f) ? Optional.of(read(f)) : Optional.empty();
    }

    /** Whether a policy file of {@code name} is stored, readable or not; IllegalArgumentException for a name no file can have. */
    public synchronized boolean exists(String name) {
        return Files.isRegularFile(file(name));
    }

    /**
     * A stored policy file; StoredPolicyUnreadableException when it cannot be read: the runner's own state (it stores only
     * policies it read), so no client's mistake, and named inside the state folder, not by the server's path.
     */
    private static PolicyFile read(Path f) {
        try {
            return PolicyFile.read(f);
        } catch (io.prescale.core.config.ConfigException e) {
            String file = f.toString();
            String field = e.path().startsWith(file) ? e.path().substring(file.length()).replaceFirst("^: ", "") : "";
            String name = f.getFileName().toString().replaceFirst("\\.yaml$", "");
            throw new StoredPolicyUnreadableException("stored policy file policies/" + f.getFileName() + " in the state folder cannot be read: "
                    + (field.isEmpty() ? "" : field + ": ") + e.reason() + " (DELETE /policies/" + name + " removes it)", e);
        }
    }

    /** Stores {@code policy}, replacing one of its name; PolicyStoreFullException when it is new and the store is full. */
    public synchronized void put(PolicyFile policy) {
        requireRoomFor(policy.name());
        try {
            DurableFiles.write(file(policy.name()), Yaml.yaml().writeValueAsBytes(policy));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Throws PolicyStoreFullException when the store holds its maximum: a new policy has no room. */
    public synchronized void requireRoom() {
        if (count() >= maxPolicies) throw new PolicyStoreFullException(maxPolicies);
    }

    /** As {@link #requireRoom()} unless a policy named {@code name} is stored: replacing one always has room. */
    public synchronized void requireRoomFor(String name) {
        if (name.matches(PolicyFile.NAME_RULE) && Files.isRegularFile(file(name))) return;
        requireRoom();
    }

    private long count() {
        if (!Files.isDirectory(dir)) return 0;
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".yaml")).count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public synchronized boolean delete(String name) {
        if (active().filter(name::equals).isPresent()) setActive(null);
        return DurableFiles.delete(file(name));
    }

    /**
     * The record of the active policy: {@code active: "NAME"}. Read as text, not as YAML, whose plain scalars would turn
     * valid names into other values ({@code null} into none at all, {@code 1.50} into 1.5, {@code 010} into 8); the
     * name unquoted, as runners before wrote it, reads the same.
     */
    private static final java.util.regex.Pattern ACTIVE = java.util.regex.Pattern.compile("active:\\s*([\"']?)([A-Za-z0-9._-]+)\\1\\s*(#.*)?");

    public synchronized Optional<String> active() {
        if (!Files.isRegularFile(activeFile)) return Optional.empty();
        List<String> lines;
        try {
            lines = Files.readAllLines(activeFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + activeFile + ": " + e.getMessage(), e);
        }
        String name = null;
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#") || line.equals("---")) continue;
            java.util.regex.Matcher m = ACTIVE.matcher(line);
            if (name != null || !m.matches())
                throw new UncheckedIOException("cannot read " + activeFile + ": line " + (i + 1) + " is not 'active: NAME' (the active policy's name)",
                        new IOException(line));
            name = m.group(2);
        }
        if (name == null)
            throw new UncheckedIOException("cannot read " + activeFile + ": it names no policy (want 'active: NAME'; remove the file for none active)",
                    new IOException("empty"));
        return Optional.of(name);
    }

    /** Records the active policy ({@code null}: none). */
    public synchronized void setActive(String name) {
        if (name == null) {
            DurableFiles.delete(activeFile);
        } else {
            file(name); // a name a policy file can have: quoted as it is, read back as it is
            DurableFiles.write(activeFile, ("active: \"" + name + "\"\n").getBytes(StandardCharsets.UTF_8));
        }
    }

    private Path file(String name) {
        if (!name.matches("[A-Za-z0-9._-]+") || name.startsWith(".")) throw new IllegalArgumentException("invalid policy name '" + name + "'");
        return dir.resolve(name + ".yaml");
    }
}
