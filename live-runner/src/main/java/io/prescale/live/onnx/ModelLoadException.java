package io.prescale.live.onnx;

import ai.onnxruntime.OrtException;

/** A model file that cannot be served (not ONNX, unsupported types); the message says why. */
public class ModelLoadException extends OrtException {
    public ModelLoadException(String message, Throwable cause) {
        super(message);
        if (cause != null) initCause(cause);
    }
}
