package dev.ferry.cli;

import dev.ferry.run.Recheck;
import dev.ferry.run.RunOptions;
import dev.ferry.target.BadValuePolicy;
import dev.ferry.verify.Verifier;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
    name = "verify",
    mixinStandardHelpOptions = true,
    description =
        "Re-checks an existing migration without loading anything: every table's row count and checksum of every value on both sides; with --verify full, every row by key, naming the rows that differ. Exit 0 when the target equals the source, 4 when it does not.")
final class VerifyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin SourceOptions from;

  @Option(
      names = "--target",
      paramLabel = "URL",
      description = "the PostgreSQL it was migrated to (default as for migrate)")
  String target;

  @Option(
      names = "--on-bad-value",
      defaultValue = "fix",
      paramLabel = "fix|set-aside|fail",
      converter = BadValuePolicyConverter.class,
      description =
          "a value PostgreSQL cannot hold as stored (NUL byte, invalid UTF-8, \\u0000 in JSON): load it"
              + " repaired and keep the original in ferry.fixups (default), set its row aside in"
              + " ferry.rejects, or fail")
  BadValuePolicy badValues;

  @Option(
      names = "--verify",
      defaultValue = "checksum",
      paramLabel = "checksum|full",
      converter = VerifyModeConverter.class,
      description = "checksum (default) or full: every row compared by key")
  Verifier.Mode verify;

  @Override
  public Integer call() {
    RunOptions options =
        new RunOptions(
            from.source,
            target,
            from.schema,
            null,
            from.only,
            from.exclude,
            RunOptions.defaultJobs(),
            false,
            from.keepCase,
            verify == Verifier.Mode.COUNT ? Verifier.Mode.CHECKSUM : verify,
            badValues,
            from.loadConfig(),
            null,
            false,
            null,
            Paths.get("").toAbsolutePath());
    PrintStream out =
        new PrintStream(
            new WriterOutputStream(spec.commandLine().getOut()), true, StandardCharsets.UTF_8);
    return new Recheck(options, out, System.getenv()).run().exitCode();
  }
}
