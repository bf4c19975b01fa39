package dev.ferry.cli;

import dev.ferry.run.RunSetting;
import picocli.CommandLine.Command;

/** Which PostgreSQL: shared by every command that talks to one (--target, from RunSetting). */
@Command // a mixin: its options come from RunSetting, added by Settings.install
final class TargetOption implements Settings.Taker {
  /** The --target given, or null. */
  String target;

  private final Settings settings =
      new Settings(RunSetting.TARGET) {
        @Override
        void put(RunSetting setting, Object value) {
          super.put(setting, value);
          target = (String) value;
        }
      };

  @Override
  public Settings settings() {
    return settings;
  }
}
