package dev.ferry.cli;

import dev.ferry.value.BadValuePolicy;
import picocli.CommandLine.Option;

/** The bad-value policy: migrate applies it, verify must know which one the migration used. */
final class BadValueOption {
  @Option(
      names = "--on-bad-value",
      defaultValue = "fix",
      paramLabel = "fix|set-aside|fail",
      converter = BadValuePolicyConverter.class,
      description =
          "a value PostgreSQL cannot hold as stored (NUL byte, invalid UTF-8, \\\\u0000 in JSON): load it"
              + " repaired and keep the original in ferry.fixups (default), set its row aside in"
              + " ferry.rejects, or fail")
  BadValuePolicy policy;
}
