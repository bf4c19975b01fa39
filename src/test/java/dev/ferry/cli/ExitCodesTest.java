package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.ErrorCode;
import dev.ferry.testing.Ferry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The exit codes are one table, ErrorCode.Exit: the help and the README list exactly those. */
class ExitCodesTest {
  @Test
  void helpListsEveryExitCodeWithItsMeaning() {
    for (String[] args : new String[][] {{"--help"}, {"migrate", "--help"}}) {
      Ferry.Result r = Ferry.run((Object[]) args);
      assertThat(r.exitCode()).isZero();
      String help = r.out().replaceAll("\\s+", " ");
      for (ErrorCode.Exit e : ErrorCode.Exit.values()) {
        assertThat(help).as(String.join(" ", args)).contains(e.code() + " " + e.meaning());
      }
    }
  }

  @Test
  void theReadmeTableListsExactlyTheseCodes() throws Exception {
    String readme = Files.readString(Path.of("README.md"));
    String table = readme.substring(readme.indexOf("## Exit codes"));
    table = table.substring(0, table.indexOf("\n## ", 5));
    Matcher m = Pattern.compile("(?m)^\\| (\\d+) \\|").matcher(table);
    Set<Integer> documented = new TreeSet<>();
    while (m.find()) {
      documented.add(Integer.parseInt(m.group(1)));
    }
    assertThat(documented)
        .isEqualTo(
            Arrays.stream(ErrorCode.Exit.values())
                .map(ErrorCode.Exit::code)
                .collect(Collectors.toCollection(TreeSet::new)));
  }

  @Test
  void everyErrorCodeHasAnExitCodeAndAnHttpStatus() {
    Set<Integer> exits = new HashSet<>();
    for (ErrorCode c : ErrorCode.values()) {
      exits.add(c.exitCode());
      assertThat(c.httpStatus()).as(c.name()).isBetween(200, 599);
    }
    assertThat(ErrorCode.BAD_VALUE.exitCode()).isEqualTo(1);
    assertThat(ErrorCode.BAD_VALUE.httpStatus()).isEqualTo(400);
    assertThat(ErrorCode.TIMEOUT.exitCode()).isEqualTo(2);
    assertThat(ErrorCode.TIMEOUT.httpStatus()).isEqualTo(503);
    assertThat(exits)
        .as("every failure exit code is reachable")
        .containsExactlyInAnyOrder(1, 2, 3, 4, 5, 70);
  }
}
