package dev.ferry.cli;

import picocli.CommandLine.Option;

/** {@code --schema-per-source}: one definition for every command that places sources in schemas. */
final class SchemaPerSourceOption {
  @Option(
      names = "--schema-per-source",
      description =
          "each source in a schema of its own, named after the file (ferry.yaml schemas: overrides;"
              + " verify and plan read the sources where migrate placed them)")
  boolean enabled;
}
