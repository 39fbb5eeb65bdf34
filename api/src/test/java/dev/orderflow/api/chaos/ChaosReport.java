package dev.orderflow.api.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * The run's note: faults injected and the time to recover after each (from the moment it began
 * to heal to the end of the first order accepted that was sent after that moment), the request
 * counts, and each invariant's verdict.
 */
final class ChaosReport {

    private static final Map<Fault.Recovery, String> RECOVERED_WHEN = Map.of(
            Fault.Recovery.INTAKE, "first order accepted",
            Fault.Recovery.ENGINE, "steps from before the heal settled",
            Fault.Recovery.WEBHOOKS, "deliveries from before the heal delivered");

    private final String text;

    ChaosReport(Duration duration, List<History.Entry> history, List<Fault.Injected> faults, List<Checker.Verdict> verdicts,
            Map<String, Long> numbers) {
        StringBuilder out = new StringBuilder();
        long requests = history.size();
        long orders = history.stream().filter(entry -> entry.kind().equals("order")).count();
        long accepted = history.stream().filter(entry -> entry.kind().equals("order") && entry.succeeded()).count();
        long unknown = history.stream().filter(History.Entry::unknown).count();
        long outcomeUnknown = history.stream().filter(entry -> entry.unknown() && entry.note() != null && entry.note().contains("outcome-unknown"))
                .count();
        long unavailable = history.stream().filter(entry -> entry.status() == 503).count();
        long refused = history.stream().filter(entry -> entry.status() == History.REFUSED).count();
        long first = history.stream().mapToLong(History.Entry::startMillis).min().orElse(0);
        long last = history.stream().mapToLong(History.Entry::endMillis).max().orElse(0);
        out.append("## Chaos run: ").append(duration.isZero() ? "one round of faults" : "faults repeated for " + duration.toMinutes() + " min")
                .append(", ").append(String.format(java.util.Locale.ROOT, "%.1f", (last - first) / 60_000.0)).append(" min of load\n\n");
        out.append("| faults injected | requests | orders posted (2xx) | unknown outcomes (503 outcome-unknown) | 503 | connection refused | orders lost | duplicates "
                + "| oversold units | kept after refusal |\n|---|---|---|---|---|---|---|---|---|---|\n");
        out.append("| ").append(faults.size()).append(" | ").append(requests).append(" | ").append(orders).append(" (").append(accepted)
                .append(") | ").append(unknown).append(" (").append(outcomeUnknown).append(") | ").append(unavailable).append(" | ").append(refused).append(" | ").append(numbers.getOrDefault("lost", -1L))
                .append(" | ").append(numbers.getOrDefault("duplicates", -1L)).append(" | ").append(numbers.getOrDefault("oversold units", -1L))
                .append(" | ").append(numbers.getOrDefault("kept after refusal", -1L)).append(" |\n\n");

        out.append("| fault | recovered when | times | time to recover (max) | time to recover (each) |\n|---|---|---|---|---|\n");
        Map<String, List<String>> each = new LinkedHashMap<>();
        Map<String, Long> worst = new LinkedHashMap<>();
        Map<String, Fault.Recovery> kinds = new LinkedHashMap<>();
        for (Fault.Injected fault : faults) {
            OptionalLong recovered = fault.caughtUpAt() == null ? firstAcceptedAfter(history, fault.healingAt()) : caughtUp(fault);
            String shown = recovered.isPresent() ? seconds(recovered.getAsLong() - fault.healingAt()) : "never";
            kinds.put(fault.name(), fault.recovery());
            each.computeIfAbsent(fault.name(), name -> new java.util.ArrayList<>()).add(shown);
            worst.merge(fault.name(), recovered.isPresent() ? recovered.getAsLong() - fault.healingAt() : Long.MAX_VALUE, Math::max);
        }
        each.forEach((name, times) -> out.append("| ").append(name).append(" | ").append(RECOVERED_WHEN.get(kinds.get(name)))
                .append(" | ").append(times.size()).append(" | ")
                .append(worst.get(name) == Long.MAX_VALUE ? "never" : seconds(worst.get(name))).append(" | ")
                .append(times.size() > 12 ? String.join(", ", times.subList(0, 12)) + ", ..." : String.join(", ", times))
                .append(" |\n"));

        out.append("\n| invariant | violations | examples |\n|---|---|---|\n");
        verdicts.forEach(verdict -> out.append("| ").append(verdict.invariant()).append(" | ").append(verdict.violations())
                .append(" | ").append(verdict.detail().replace("|", "/")).append(" |\n"));
        out.append("\nevents: ").append(numbers.getOrDefault("events", 0L)).append(", webhook deliveries received: ")
                .append(numbers.getOrDefault("webhook deliveries", 0L)).append(", stock drift repaired by the reconciler: ")
                .append(numbers.getOrDefault("reconciler repairs", 0L)).append(" times\n");
        text = out.toString();
    }

    private static OptionalLong caughtUp(Fault.Injected fault) {
        Long at = fault.caughtUpAt().completeOnTimeout(null, 1, java.util.concurrent.TimeUnit.SECONDS).join();
        return at == null ? OptionalLong.empty() : OptionalLong.of(at);
    }

    private static OptionalLong firstAcceptedAfter(List<History.Entry> history, long from) {
        return history.stream()
                .filter(entry -> entry.kind().equals("order") && entry.succeeded() && entry.startMillis() >= from)
                .mapToLong(History.Entry::endMillis)
                .min();
    }

    private static String seconds(long millis) {
        return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }

    String text() {
        return text;
    }

    void write(Path path) {
        try {
            Files.writeString(path, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
