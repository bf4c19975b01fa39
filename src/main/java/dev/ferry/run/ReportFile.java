package dev.ferry.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.ErrorCode;
import dev.ferry.FerryException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * {@code --report FILE.json}: checked before the run starts (a report that cannot be written must
 * not be found out after the load, with the run recorded as a success), written at its end.
 */
final class ReportFile {
  private ReportFile() {}

  /** Refuses, before anything is done, a report path that cannot be written; null is no report. */
  static void check(Path report) {
    if (report == null) {
      return;
    }
    boolean existed = Files.exists(report);
    try {
      if (Files.isDirectory(report)) {
        throw new IOException("it is a directory");
      }
      Files.newOutputStream(report, StandardOpenOption.CREATE, StandardOpenOption.APPEND).close();
      if (!existed) {
        Files.delete(report);
      }
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE,
          "cannot write the report to " + report + ": " + reason(e) + "; nothing was done",
          e);
    }
  }

  static void write(Path report, RunReport content) {
    if (report == null) {
      return;
    }
    try {
      new ObjectMapper()
          .enable(SerializationFeature.INDENT_OUTPUT)
          .writeValue(report.toFile(), content);
    } catch (IOException e) {
      throw new FerryException(
          ErrorCode.USAGE, "cannot write the report to " + report + ": " + reason(e), e);
    }
  }

  private static String reason(IOException e) {
    return e instanceof java.nio.file.NoSuchFileException
        ? "no such directory"
        : e instanceof java.nio.file.AccessDeniedException
            ? "permission denied"
            : String.valueOf(e.getMessage());
  }
}
