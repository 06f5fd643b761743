package io.prescale.simulator.cli;

import io.prescale.policies.PolicyCatalog;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code prescale policies}: every scaling policy by id, what it does, and each parameter with its default. */
@Command(name = "policies", mixinStandardHelpOptions = true,
        description = {"List the scaling policies: id, what each does, and every parameter with its default.",
                "Set a parameter with -p POLICY.KEY=VALUE (simulate) or under params: (sweep specs, policy files). A dotted key "
                        + "is a field of a nested record (the budget policy's base: the headroom policy's params): "
                        + "-p predictive.budget.base.maxUtilization=0.8, or params: {base: {maxUtilization: [0.8, 0.9]}} in a sweep; "
                        + "the fields not set keep their defaults."},
        footer = {"", "Examples:", "  prescale policies reactive.hpa predictive.headroom",
                "  prescale simulate -p reactive.hpa.targetUtilization=0.5"})
public final class PoliciesCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "ID", description = "Only these policies (default: all, in catalog order).")
    List<String> ids = new ArrayList<>();

    @Override
    public Integer call() {
        PrintStream out = System.out;
        // every id checked before any is printed: "policies reactive.hpa nope" printed HPA, then the error below it;
        // said as "unknown policy ...", not under the catalog's internal field name ("policy: unknown policy ...")
        for (String id : ids)
            try {
                PolicyCatalog.entry(id);
            } catch (io.prescale.core.config.ConfigException e) {
                throw new IllegalArgumentException(e.reason(), e);
            }
        for (String id : ids.isEmpty() ? List.copyOf(PolicyCatalog.ids()) : ids) {
            PolicyCatalog.Entry<?> e = PolicyCatalog.entry(id);
            out.println(id + (e.needsOracle() ? "  (knows the future: simulation only, cannot win a sweep)" : ""));
            out.println("    " + e.summary());
            print(out, "", PolicyCatalog.defaults(id));
        }
        return 0;
    }

    /** One line per parameter; a nested params record (the budget policy's {@code base}) as dotted keys. */
    private static void print(PrintStream out, String prefix, Map<?, ?> params) {
        params.forEach((key, value) -> {
            if (value instanceof Map<?, ?> nested) print(out, prefix + key + ".", nested);
            else out.printf("      %-28s %s%n", prefix + key, value);
        });
    }
}
