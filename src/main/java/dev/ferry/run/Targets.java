package dev.ferry.run;

import dev.ferry.postgres.TargetUrl;
import dev.ferry.postgres.embedded.EmbeddedServer;
import java.nio.file.Path;
import java.util.Map;

/** Where a command's target is: --target, DATABASE_URL, PG*, or else the embedded server. */
final class Targets {
  private Targets() {}

  static TargetUrl resolve(String target, Path workDir, Map<String, String> env) {
    TargetUrl url = TargetUrl.resolve(target, env);
    return url != null ? url : EmbeddedServer.in(workDir).start();
  }
}
