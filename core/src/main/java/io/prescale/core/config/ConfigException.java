package io.prescale.core.config;

/** Invalid configuration; the message starts with the path of the offending field, e.g. {@code policies[2].params.tolerance}. */
public class ConfigException extends IllegalArgumentException {
    private final String path;
    private final String reason;

    public ConfigException(String path, String reason) {
        super(path + ": " + reason);
        this.path = path;
        this.reason = reason;
    }

    public String path() {
        return path;
    }

    /** What is wrong, without the path: for re-raising the error under a longer or renamed path. */
    public String reason() {
        return reason;
    }
}
