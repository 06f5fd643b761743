package io.prescale.core.config;

/** Invalid configuration; the message starts with the path of the offending field, e.g. {@code policies[2].params.tolerance}. */
public class ConfigException extends IllegalArgumentException {
    private final String path;

    public ConfigException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
    }

    public String path() {
        return path;
    }
}
