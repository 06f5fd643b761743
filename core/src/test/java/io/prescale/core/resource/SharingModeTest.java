package io.prescale.core.resource;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

class SharingModeTest {
    @Test
    void modesParseTheSameWhateverTheDefaultLocale() {
        // in a Turkish locale "mig".toUpperCase() is "MİG" (dotted capital I): --sharing mig and a catalog's sharing: mig
        // were refused as unknown modes there
        Locale before = Locale.getDefault();
        try {
            Locale.setDefault(Locale.forLanguageTag("tr-TR"));
            assertThat(SharingMode.parse("mig")).isEqualTo(SharingMode.MIG);
            assertThat(SharingMode.parse("time-sliced")).isEqualTo(SharingMode.TIME_SLICED);
            assertThat(SharingMode.parse(" Exclusive ")).isEqualTo(SharingMode.EXCLUSIVE);
        } finally {
            Locale.setDefault(before);
        }
    }
}
