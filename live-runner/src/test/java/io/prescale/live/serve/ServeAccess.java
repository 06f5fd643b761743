package io.prescale.live.serve;

import io.prescale.live.tensor.Tensor;

import java.util.Map;

/** Test access to the model server's package-private parts. */
public final class ServeAccess {
    private ServeAccess() {}

    /** Answers one request 504 as a queue's deadline check does (a request that waited past its timeout). */
    public static void expireOne(ModelServer s, Map<String, Tensor> inputs) {
        long now = System.nanoTime();
        s.expire(new InferenceRequest(inputs, 1, s.registration().priorityClass(), now, now));
    }
}
