package io.prescale.core.trace;

/**
 * How arrivals are spread inside one interval of a per-interval trace. POISSON needs nothing else;
 * GAMMA and WEIBULL carry the fitted inter-arrival parameters as the trace gives them
 * (Gamma: shape, scale; Weibull: shape, scale) and are rescaled to the interval's rate.
 */
public record ArrivalShape(Kind kind, double p1, double p2) {

    public enum Kind { POISSON, GAMMA, WEIBULL }

    public static final ArrivalShape POISSON = new ArrivalShape(Kind.POISSON, 0, 0);

    public ArrivalShape {
        if (kind != Kind.POISSON && !(p1 > 0 && p2 > 0))
            throw new IllegalArgumentException(kind + " arrival shape needs positive parameters, got " + p1 + ", " + p2);
    }
}
