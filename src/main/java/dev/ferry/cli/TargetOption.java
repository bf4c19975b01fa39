package dev.ferry.cli;

import picocli.CommandLine.Option;

/** Which PostgreSQL: shared by every command that talks to one. */
final class TargetOption {
  @Option(
      names = "--target",
      paramLabel = "URL",
      description =
          "postgresql://user:pass@host:port/db or jdbc:postgresql://…; default: DATABASE_URL, PG*"
              + " variables, else the embedded server in .ferry/pg")
  String target;
}
