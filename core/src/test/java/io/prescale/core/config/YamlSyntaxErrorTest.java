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

    @Test
    void aKeyWrittenTwiceInOneMappingIsRefusedNamingItAndItsLine() {
        // the second "pool:" under defaults silently won: the model ran on the pool the author meant to replace
        JsonProcessingException e = catchThrowableOfType(JsonProcessingException.class,
                () -> Yaml.yaml().readTree("schema: x\ndefaults:\n  pool: a\n  maxBatch: 4\n  pool: b\n"));
        assertThat(Yaml.syntaxError(e)).isEqualTo("line 5: key 'pool' appears twice in one mapping");
        // the same key in two mappings is fine
        assertThat(catchThrowableOfType(JsonProcessingException.class, () -> Yaml.yaml().readTree("a: {pool: x}\nb: {pool: y}\n"))).isNull();
    }
}
