package io.prescale.policies;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The module README's table of policies is the catalog's: a policy added or renamed there is added or renamed here. */
class PoliciesReadmeTest {

    @Test
    void theReadmeTableListsEveryCatalogPolicyWithItsSummaryAndWhetherItRunsLive() throws Exception {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("README.md"))) // tests run in the module's folder
            if (line.startsWith("| `")) rows.add(line);
        List<String> expected = new ArrayList<>();
        for (String id : PolicyCatalog.ids()) {
            PolicyCatalog.Entry<?> e = PolicyCatalog.entry(id);
            expected.add("| `" + id + "` | " + e.summary() + " | " + (e.needsOracle() ? "no: needs the future" : "yes") + " |");
        }
        assertThat(rows).containsExactlyElementsOf(expected);
    }
}
