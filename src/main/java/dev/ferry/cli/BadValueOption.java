package dev.ferry.cli;

import dev.ferry.run.RunSetting;
import dev.ferry.value.BadValuePolicy;
import picocli.CommandLine.Command;

/** The bad-value policy: migrate applies it, verify must know which one the migration used. */
@Command // a mixin: its options come from RunSetting, added by Settings.install
final class BadValueOption implements Settings.Taker {
  private final Settings settings = new Settings(RunSetting.ON_BAD_VALUE);

  @Override
  public Settings settings() {
    return settings;
  }

  BadValuePolicy policy() {
    return (BadValuePolicy) settings.get(RunSetting.ON_BAD_VALUE);
  }
}
