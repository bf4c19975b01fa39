package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.config.FerryConfig;
import dev.ferry.load.IfExists;
import dev.ferry.run.RunOptions;
import dev.ferry.run.RunSetting;
import dev.ferry.value.BadValuePolicy;
import dev.ferry.verify.Verifier;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * The command line parses into the same RunOptions the hand-written options gave: every flag
 * reaches its setting, the defaults are those users know, and ferry.runs.options records the same
 * map.
 */
class OptionsTest {
  private static RunOptions migrate(String... args) {
    CommandLine cli = Main.commandLine();
    String[] all = new String[args.length + 1];
    all[0] = "migrate";
    System.arraycopy(args, 0, all, 1, args.length);
    cli.parseArgs(all);
    MigrateCommand m = (MigrateCommand) cli.getSubcommands().get("migrate").getCommand();
    return m.options(
        m.from.sources.get(0), m.from.schema(), false, m.from.sources.size(), FerryConfig.none());
  }

  @Test
  void withNoFlagsEverySettingHasTheDefaultUsersKnow() {
    RunOptions o = migrate("app.db");
    assertThat(o.source()).isEqualTo(Path.of("app.db"));
    assertThat(o.target()).isNull();
    assertThat(o.schema()).isEqualTo("public");
    assertThat(o.ifExists()).isEqualTo(IfExists.FAIL);
    assertThat(o.only()).isEmpty();
    assertThat(o.exclude()).isEmpty();
    assertThat(o.jobs()).isEqualTo(RunOptions.defaultJobs());
    assertThat(o.dryRun()).isFalse();
    assertThat(o.keepCase()).isFalse();
    assertThat(o.verify()).isEqualTo(Verifier.Mode.CHECKSUM);
    assertThat(o.badValues()).isEqualTo(BadValuePolicy.FIX);
    assertThat(o.backupDir()).isNull();
    assertThat(o.backup()).isTrue();
    assertThat(o.priority()).isNull();
    assertThat(o.resume()).isFalse();
    assertThat(o.chunkRows()).isEqualTo(1_000_000L);
    assertThat(o.report()).isNull();
    assertThat(o.workDir()).isEqualTo(Paths.get("").toAbsolutePath());
    assertThat(o.config().casts()).isEmpty();
  }

  @Test
  void everyFlagReachesItsSetting() {
    RunOptions o =
        migrate(
            "app.db",
            "--target=postgresql://u@h/db",
            "--schema=app",
            "--if-exists=truncate",
            "--only=a*,b",
            "--only=c",
            "--exclude=x",
            "--jobs=3",
            "--dry-run",
            "--keep-case",
            "--verify=full",
            "--on-bad-value=set-aside",
            "--backup-dir=bk",
            "--no-backup",
            "--priority=p0",
            "--resume",
            "--chunk-rows=10",
            "--report=r.json");
    assertThat(o.target()).isEqualTo("postgresql://u@h/db");
    assertThat(o.schema()).isEqualTo("app");
    assertThat(o.ifExists()).isEqualTo(IfExists.TRUNCATE);
    assertThat(o.only()).containsExactly("a*", "b", "c");
    assertThat(o.exclude()).containsExactly("x");
    assertThat(o.jobs()).isEqualTo(3);
    assertThat(o.dryRun()).isTrue();
    assertThat(o.keepCase()).isTrue();
    assertThat(o.verify()).isEqualTo(Verifier.Mode.FULL);
    assertThat(o.badValues()).isEqualTo(BadValuePolicy.SET_ASIDE);
    assertThat(o.backupDir()).isEqualTo(Path.of("bk"));
    assertThat(o.backup()).isFalse();
    assertThat(o.priority()).isEqualTo("P0");
    assertThat(o.resume()).isTrue();
    assertThat(o.chunkRows()).isEqualTo(10L);
    assertThat(o.report()).isEqualTo(Path.of("r.json"));
  }

  @Test
  void theRunRecordKeepsTheSameKeysInTheSameOrder() {
    RunOptions o = migrate("app.db", "--only=t", "--on-bad-value=set-aside", "--jobs=2");
    Map<String, Object> expected = new LinkedHashMap<>();
    expected.put("backup_copy", "/b/app.db");
    expected.put("source_stamp", "123:456");
    expected.put("if_exists", "fail");
    expected.put("only", List.of("t"));
    expected.put("exclude", List.of());
    expected.put("jobs", 2);
    expected.put("keep_case", false);
    expected.put("backup", true);
    expected.put("verify", "checksum");
    expected.put("on_bad_value", "set-aside");
    assertThat(o.forRecord("/b/app.db", "123:456")).containsExactlyEntriesOf(expected);
  }

  @Test
  void aBuiltRunOptionsIsSealed() {
    RunOptions.Builder b = RunOptions.builder().source(Path.of("a.db"));
    b.build();
    assertThatThrownBy(() -> b.set(RunSetting.JOBS, 2)).isInstanceOf(IllegalStateException.class);
    assertThatThrownBy(() -> RunOptions.builder().set(RunSetting.JOBS, "2"))
        .as("a value of the wrong type is a programming error, caught where it is made")
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void everySettingIsOnTheCommandLineWithItsHelp() {
    CommandLine cli = Main.commandLine();
    for (RunSetting s : RunSetting.values()) {
      String command = s == RunSetting.RECHECK ? "verify" : "migrate";
      CommandLine.Model.OptionSpec option =
          cli.getSubcommands().get(command).getCommandSpec().findOption(s.flag());
      assertThat(option).as(s + " in ferry " + command).isNotNull();
      assertThat(String.join(" ", option.description()))
          .isEqualTo(s.help().replace("${DEFAULT-VALUE}", String.valueOf(s.cliDefault())));
    }
  }
}
