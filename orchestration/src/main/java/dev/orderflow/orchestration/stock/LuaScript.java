package dev.orderflow.orchestration.stock;

import io.lettuce.core.RedisNoScriptException;
import io.lettuce.core.ScriptOutputType;
import io.lettuce.core.cluster.api.reactive.RedisClusterReactiveCommands;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * A Lua script run by its SHA-1 (one short round trip); when Redis does not know it (a restart, a
 * flush of scripts, a new cluster node) it is sent whole once, which also caches it again. Public
 * for the API's rate limiter, which leases tokens with a script of its own.
 */
public final class LuaScript {

    private final String source;
    private final String sha;
    private final ScriptOutputType output;

    private LuaScript(String source, ScriptOutputType output) {
        this.source = source;
        this.sha = sha1(source);
        this.output = output;
    }

    /** A script on the classpath, relative to this class or absolute ({@code /dev/orderflow/...}). */
    public static LuaScript load(String name, ScriptOutputType output) {
        return load(LuaScript.class, name, output);
    }

    /** A script on the classpath, relative to {@code owner}. */
    public static LuaScript load(Class<?> owner, String name, ScriptOutputType output) {
        try (InputStream in = owner.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing script " + name);
            }
            return new LuaScript(new String(in.readAllBytes(), StandardCharsets.UTF_8), output);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public <T> Mono<T> run(RedisClusterReactiveCommands<String, String> redis, List<String> keys, List<String> args) {
        String[] keyArray = keys.toArray(String[]::new);
        String[] argArray = args.toArray(String[]::new);
        Flux<T> bySha = redis.evalsha(sha, output, keyArray, argArray);
        return bySha.next()
                .onErrorResume(RedisNoScriptException.class,
                        unknown -> redis.<T>eval(source, output, keyArray, argArray).next());
    }

    private static String sha1(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK ships SHA-1", e);
        }
    }
}
