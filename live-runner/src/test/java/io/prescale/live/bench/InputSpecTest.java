package io.prescale.live.bench;

import io.prescale.core.config.ConfigException;
import io.prescale.live.tensor.ElementType;
import io.prescale.live.tensor.ModelSignature;
import io.prescale.live.tensor.TensorSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** `--input` of profile, fidelity and the bench: checked against the model, never passed on to ONNX Runtime wrong. */
class InputSpecTest {
    // Silero VAD's inputs: audio [N, 512], state [2, N, 128], sample rate (a scalar)
    static final ModelSignature VAD = new ModelSignature(List.of(new TensorSpec("input", ElementType.FP32, new long[]{-1, 512}),
            new TensorSpec("state", ElementType.FP32, new long[]{2, -1, 128}), new TensorSpec("sr", ElementType.INT64, new long[0])),
            List.of(new TensorSpec("output", ElementType.FP32, new long[]{-1, 1})));

    @Test
    void validSpecsBuildTheTensors() {
        var in = InputSpec.build(VAD, List.of("input=1,512", "state=2,1,128", "sr=@16000"), 1);
        assertThat(in.get("state").shape()).containsExactly(2, 1, 128);
        assertThat((long[]) in.get("sr").data()).containsExactly(16000);
        assertThat(in.get("input").elementCount()).isEqualTo(512); // [N, 512] with N = 1
    }

    @Test
    void aWrongNameDimensionOrValueNamesTheSpec() {
        assertThatThrownBy(() -> InputSpec.build(VAD, List.of("nope=1,16"), 1)).isInstanceOf(ConfigException.class)
                .hasMessage("--input nope=1,16: the model has no input 'nope' (its inputs: [input, state, sr])");
        assertThatThrownBy(() -> InputSpec.build(VAD, List.of("input=1,-3"), 1)).hasMessageContaining("dimensions must be >= 1");
        assertThatThrownBy(() -> InputSpec.build(VAD, List.of("input=1,0"), 1)).hasMessageContaining("dimensions must be >= 1");
        // 1 x 99,999,999,999 floats would be 400 GB: refused before any allocation
        assertThatThrownBy(() -> InputSpec.build(VAD, List.of("input=1,99999999999"), 1)).hasMessageContaining("more than 2^28 elements");
        assertThatThrownBy(() -> InputSpec.build(VAD, List.of("sr=@abc"), 1)).hasMessageContaining("numeric value");
        assertThatThrownBy(() -> InputSpec.build(VAD, List.of("input"), 1)).hasMessageContaining("expected name=d1,d2[@value]");
    }
    @Test
    void inputsLeftOpenPastTheBatchDimensionAreNamedSoProfileCanWarn() {
        // input [N, 512] is open only in its batch dimension (profile sets that); state [2, N, 128] is open in its second
        assertThat(InputSpec.guessed(VAD, List.of())).containsExactly("state [2, ?, 128]");
        assertThat(InputSpec.guessed(VAD, List.of("state=2,1,128"))).isEmpty();
    }
}
