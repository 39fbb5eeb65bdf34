package dev.orderflow.infra;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * A command-line tool these checks run (kubectl, promtool, docker-compose, node, redis-server).
 * Missing in CI ({@code CI=true}, where {@code .ci/run} installs them) is a failure; missing on a
 * developer's machine skips the check and says which package brings it, never a silent pass.
 */
record Tool(String name, Path executable) {

    /** The tool on the PATH, or the test stops here (see the class comment). */
    static Tool require(String name, String howToInstall) {
        Optional<Path> found = onPath(name);
        if (found.isPresent()) {
            return new Tool(name, found.get());
        }
        String message = name + " is not installed, so this check cannot run: " + howToInstall;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (.ci/run should have installed it)");
        }
        Assumptions.abort(message);
        throw new IllegalStateException("unreachable");
    }

    static Optional<Path> onPath(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("");
        for (String dir : path.split(File.pathSeparator)) {
            Path candidate = Path.of(dir, name);
            if (Files.isExecutable(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** What a run printed (stdout and stderr together) and how it ended. */
    record Result(int exitCode, String output) {
    }

    /** Runs the tool in {@code dir}; fails the test if it does not end within two minutes. */
    Result run(Path dir, String... arguments) {
        List<String> command = new ArrayList<>();
        command.add(executable.toString());
        command.addAll(List.of(arguments));
        try {
            Path output = Files.createTempFile("orderflow-" + name, ".out");
            Process process = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(2, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                fail(String.join(" ", command) + " did not finish within 2 minutes");
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            Files.deleteIfExists(output);
            return new Result(process.exitValue(), text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Runs the tool and fails the test, with its output, unless it exits 0. */
    String succeed(Path dir, String... arguments) {
        Result result = run(dir, arguments);
        if (result.exitCode() != 0) {
            fail(name + " " + String.join(" ", arguments) + " exited " + result.exitCode() + ":\n" + result.output());
        }
        return result.output();
    }

    /** The infra folder (this module's base directory: the tests run there). */
    static Path infra() {
        return Path.of("").toAbsolutePath();
    }
}
