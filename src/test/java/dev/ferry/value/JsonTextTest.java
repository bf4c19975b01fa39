package dev.ferry.value;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonTextTest {
  @ParameterizedTest(name = "{0} is {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"a\": 1}|CONTAINER",
        "[1, 2, {\"b\": [true, null]}]|CONTAINER",
        "  {}  |CONTAINER",
        "42|SCALAR",
        "\"text\"|SCALAR",
        "-1.5e300|SCALAR",
        "true|SCALAR",
        "{\"a\": 1, \"a\": 2}|REPAIRABLE_CONTAINER",
        "{\"x\": {\"a\": 1}, \"y\": {\"a\": 2}}|CONTAINER",
        "{\"a\": \"nul \\u0000 inside\"}|REPAIRABLE_CONTAINER",
        "{\"a\": \"escaped \\\\u0000 is text\"}|CONTAINER",
        "{\"a\": 1} trailing|INVALID",
        "{\"a\": 1|INVALID",
        "hello|INVALID",
        "01|INVALID",
        "NaN|INVALID",
        "''|INVALID",
      })
  void classifies(String text, String expected) {
    int want =
        switch (expected) {
          case "CONTAINER" -> JsonText.CONTAINER;
          case "SCALAR" -> JsonText.SCALAR;
          case "REPAIRABLE_CONTAINER" -> JsonText.CONTAINER | JsonText.REPAIRABLE;
          default -> JsonText.INVALID;
        };
    assertThat(JsonText.classify(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(want);
  }

  @org.junit.jupiter.api.Test
  void manyKeysStillCatchDuplicates() {
    StringBuilder s = new StringBuilder("{");
    for (int i = 0; i < 100; i++) {
      s.append("\"k").append(i).append("\": ").append(i).append(", ");
    }
    assertThat(JsonText.classify((s + "\"k99\": 0}").getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(JsonText.CONTAINER | JsonText.REPAIRABLE);
    assertThat(JsonText.classify((s + "\"k100\": 0}").getBytes(StandardCharsets.UTF_8)))
        .isEqualTo(JsonText.CONTAINER);
  }
}
