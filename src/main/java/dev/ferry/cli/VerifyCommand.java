package dev.ferry.cli;

import dev.ferry.run.Recheck;
import dev.ferry.run.RunOptions;
import dev.ferry.verify.Verifier;
import java.io.PrintStream;
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

  @Mixin TargetOption to;

  @Mixin BadValueOption badValues;

  @Option(
      names = "--verify",
      defaultValue = "checksum",
      paramLabel = "checksum|full",
      converter = VerifyModeConverter.class,
      description = "checksum (default) or full: every row compared by key")
  Verifier.Mode verify;

  @Override
  public Integer call() {
    dev.ferry.config.FerryConfig config = from.loadConfig();
    RunOptions options =
        from.reading(
            from.single("verify", config, WriterOutputStream.errStream(spec), badValues.policy),
            to.target,
            from.schema,
            config,
            verify == Verifier.Mode.COUNT ? Verifier.Mode.CHECKSUM : verify,
            badValues.policy);
    PrintStream out = WriterOutputStream.printStream(spec);
    return new Recheck(options, out, System.getenv()).run().exitCode();
  }
}
