package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.run.RunSetting;
import dev.ferry.testing.Ferry;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad flag is exit 1 with a message naming the flag and how to fix it, before anything is read,
 * for every setting that takes a value.
 */
class BadFlagsTest {
  @TempDir Path tmp;

  @Test
  void everyChoiceSettingListsWhatItAccepts() {
    for (RunSetting s : RunSetting.values()) {
      if (s.label() == null || !s.label().contains("|") || s == RunSetting.PRIORITY) {
        continue;
      }
      String command = s == RunSetting.RECHECK ? "verify" : "migrate";
      Ferry.Result r = Ferry.run(command, tmp.resolve("a.db"), s.flag(), "nonsense");
      assertThat(r.exitCode()).as(s + ": " + r.all()).isEqualTo(1);
      assertThat(r.err())
          .contains("Invalid value for option '" + s.flag() + "': 'nonsense' is not one of ")
          .contains("Try 'ferry " + command + " --help'");
    }
  }

  @Test
  void outOfRangeValuesNameTheFlagAndTheRange() {
    List<String[]> cases = new ArrayList<>();
    cases.add(new String[] {"--jobs", "0", "--jobs 0 is out of range: use 1 to 64"});
    cases.add(new String[] {"--jobs", "65", "--jobs 65 is out of range: use 1 to 64"});
    cases.add(new String[] {"--jobs", "many", "'many' is not an int"});
    cases.add(new String[] {"--chunk-rows", "-1", "--chunk-rows -1: use 0 (whole tables) or more"});
    cases.add(new String[] {"--priority", "P9", "--priority P9: use P0, P1 or P2"});
    cases.add(new String[] {"--schema", "bad-name", "--schema 'bad-name' is not a plain"});
    cases.add(new String[] {"--schema", "ferry", "--schema ferry is Ferry's own metadata schema"});
    cases.add(new String[] {"--target", "postgresql://h:99999/db", "port 99999 of host h"});
    cases.add(new String[] {"--target", "postgresql://h:x/db", "is not a number"});
    for (String[] c : cases) {
      Ferry.Result r = Ferry.run("migrate", tmp.resolve("a.db"), c[0], c[1], "--dry-run");
      assertThat(r.exitCode()).as(String.join(" ", c) + ": " + r.all()).isEqualTo(1);
      assertThat(r.err()).contains(c[2]).doesNotContain("Exception");
    }
  }

  @Test
  void anUnknownFlagSaysWhereHelpIs() {
    Ferry.Result r = Ferry.run("migrate", tmp.resolve("a.db"), "--no-such-flag");
    assertThat(r.exitCode()).isEqualTo(1);
    assertThat(r.err()).contains("--no-such-flag").contains("Try 'ferry migrate --help'");
  }
}
