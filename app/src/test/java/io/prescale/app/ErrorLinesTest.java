package io.prescale.app;

import io.prescale.core.config.ConfigException;
import org.junit.jupiter.api.Test;

import java.io.FileNotFoundException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;

import static org.assertj.core.api.Assertions.assertThat;

/** The one line a user sees for the errors users cause: what and where, never an exception's class name. */
class ErrorLinesTest {
    @Test
    void fileProblemsSayWhatAndWhere() {
        assertThat(PrescaleCli.describe(new UncheckedIOException(new NoSuchFileException("/x/y.csv")))).isEqualTo("no such file or folder: /x/y.csv");
        // an --out under a file: Files.createDirectories throws FileAlreadyExistsException naming the file in the way
        assertThat(PrescaleCli.describe(new FileAlreadyExistsException("/data/a.csv")))
                .isEqualTo("cannot create /data/a.csv: something else is in the way (a file where a folder goes?)");
        assertThat(PrescaleCli.describe(new FileNotFoundException("/data/o (Is a directory)"))).isEqualTo("cannot open /data/o (Is a directory)");
        assertThat(PrescaleCli.describe(new ConfigException("--out", "cannot create x"))).isEqualTo("--out: cannot create x");
    }
}
