package io.prescale.live.state;

/**
 * A policy file in the state folder that cannot be read (a disk error, a hand edit): the runner's own state, not a
 * client's mistake. Names the file inside the state folder and how to remove it.
 */
public final class StoredPolicyUnreadableException extends IllegalStateException {
    public StoredPolicyUnreadableException(String message, Throwable cause) {
        super(message, cause);
    }
}
