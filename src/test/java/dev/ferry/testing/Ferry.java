package dev.ferry.testing;

import dev.ferry.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;

/** Runs the real `ferry` command line in-process and captures what it prints. */
public final class Ferry {
  private Ferry() {}

  /** What one command printed and its exit code. */
  public record Result(int exitCode, String out, String err) {
    public String all() {
      return out + err;
    }
  }

  public static Result run(Object... args) {
    List<String> list = new ArrayList<>();
    for (Object a : args) {
      list.add(String.valueOf(a));
    }
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            list.toArray(String[]::new), new PrintWriter(out, true), new PrintWriter(err, true));
    return new Result(code, out.toString(), err.toString());
  }
}
