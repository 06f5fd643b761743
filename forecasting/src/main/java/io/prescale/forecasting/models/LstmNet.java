package io.prescale.forecasting.models;

/**
 * The trained weights of a one-layer LSTM + Linear head, evaluated in plain Java so the runtime needs
 * no native memory per series (DJL is used for training only). Layout as PyTorch's {@code nn.LSTM}:
 * gate rows in the order input, forget, cell, output; {@code wIh} is [4H x F], {@code wHh} [4H x H];
 * the head maps the last hidden state to {@code leads} outputs ({@code wOut} [leads x H]).
 */
public record LstmNet(int features, int hidden, int leads, float[] wIh, float[] wHh, float[] bIh, float[] bHh, float[] wOut, float[] bOut) {

    public LstmNet {
        int g = 4 * hidden;
        if (wIh.length != g * features || wHh.length != g * hidden || bIh.length != g || bHh.length != g
                || wOut.length != leads * hidden || bOut.length != leads)
            throw new IllegalArgumentException("LSTM weight shapes do not match features " + features + ", hidden " + hidden + ", leads " + leads);
    }

    /** Runs the sequence {@code x[t][f]} (t = 0 oldest) and writes the head's outputs into {@code out}. */
    public void forward(float[][] x, double[] out) {
        int hs = hidden;
        double[] h = new double[hs], c = new double[hs], gates = new double[4 * hs];
        for (float[] xt : x) {
            for (int r = 0; r < 4 * hs; r++) {
                double s = bIh[r] + bHh[r];
                int oi = r * features;
                for (int f = 0; f < features; f++) s += wIh[oi + f] * xt[f];
                int oh = r * hs;
                for (int k = 0; k < hs; k++) s += wHh[oh + k] * h[k];
                gates[r] = s;
            }
            for (int k = 0; k < hs; k++) {
                double i = sigmoid(gates[k]), f = sigmoid(gates[hs + k]), g = Math.tanh(gates[2 * hs + k]), o = sigmoid(gates[3 * hs + k]);
                c[k] = f * c[k] + i * g;
                h[k] = o * Math.tanh(c[k]);
            }
        }
        for (int j = 0; j < leads; j++) {
            double s = bOut[j];
            for (int k = 0; k < hs; k++) s += wOut[j * hs + k] * h[k];
            out[j] = s;
        }
    }

    private static double sigmoid(double a) {
        return 1 / (1 + Math.exp(-a));
    }
}
