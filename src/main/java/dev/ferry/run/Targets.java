package dev.ferry.run;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.postgres.embedded.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Where a command's target is: --target, DATABASE_URL, PG*, or else the embedded server (started on
 * demand). The one place every command resolves its target.
 */
public final class Targets {
  private Targets() {}

  /** The target, starting the embedded server when nothing names one. */
  public static TargetUrl resolve(String target, Path workDir, Map<String, String> env) {
    return resolve(target, workDir, env, line -> {});
  }

  /** As {@link #resolve(String, Path, Map)}, telling {@code say} when the embedded one is used. */
  public static TargetUrl resolve(
      String target, Path workDir, Map<String, String> env, Consumer<String> say) {
    TargetUrl url = TargetUrl.resolve(target, env);
    if (url != null) {
      return url;
    }
    EmbeddedServer server = EmbeddedServer.in(workDir);
    url = server.start();
    say.accept(
        String.format(
            "Target: embedded PostgreSQL %s (data in %s)",
            EmbeddedServer.postgresVersion(), server.dataDirectory()));
    return url;
  }
}
