package io.prescale.core.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** A YAML syntax error reads as one line with where it is, not SnakeYAML's four-line excerpt. */
class YamlSyntaxErrorTest {
    @Test
    void anUnclosedFlowMappingIsOneLineWithLineAndColumn() {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> Yaml.yaml().readTree("schema: x\ndefaults: {pool: x\n"));
        // the mapping opened on line 2 is still open when the text ends, at line 3, column 1
        assertThat(Yaml.syntaxError(e)).isEqualTo("line 3, column 1: expected ',' or '}', but got <stream end>");
    }

    @Test
    void aTabIndentIsPlacedToo() {
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> Yaml.yaml().readTree("a: 1\n\tb: 2\n"));
        assertThat(Yaml.syntaxError(e)).startsWith("line 2, column 1: ").doesNotContain("\n").doesNotContain("reader");
    }
}
